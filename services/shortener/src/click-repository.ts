import { type Kysely, sql, transaction } from "@toko/kit";
import type { Click, LinkStats } from "./link.ts";
import type { ShortenerDb } from "./repository.ts";

/** Referrer hosts listed in stats at most (the busiest); the total still counts every click. */
export const STATS_MAX_REFERRERS = 50;
// How long a batch id is remembered: far longer than any edge retries a batch.
const BATCH_MEMORY = "7 days";

/** Click aggregates and processed batch ids in PostgreSQL. */
export class ClickRepository {
  constructor(private readonly db: Kysely<ShortenerDb>) {}

  /**
   * Adds a batch to the daily aggregates in one statement, once per batch id. Clicks on unknown
   * codes are ignored. Returns how many clicks the batch counted (the first time's number on a retry).
   */
  async record(batchId: string, clicks: readonly Click[]): Promise<{ recorded: number; duplicate: boolean }> {
    return transaction(this.db, async (trx) => {
      // A concurrent retry of the same batch waits here until the first commits, then sees it.
      const claimed = await trx
        .insertInto("click_batches")
        .values({ batch_id: batchId, recorded: 0 })
        .onConflict((oc) => oc.doNothing())
        .returning("batch_id")
        .executeTakeFirst();
      if (!claimed) {
        const seen = await trx
          .selectFrom("click_batches")
          .select("recorded")
          .where("batch_id", "=", batchId)
          .executeTakeFirstOrThrow();
        return { recorded: seen.recorded, duplicate: true };
      }
      // Rows are upserted in key order so concurrent batches lock aggregates in the same order.
      const { rows } = await sql<{ recorded: number }>`
        WITH c AS (
          SELECT * FROM unnest(
            ${clicks.map((c) => c.code)}::text[], ${clicks.map((c) => c.at.toISOString())}::timestamptz[],
            ${clicks.map((c) => c.referrerHost)}::text[], ${clicks.map((c) => c.userAgentFamily)}::text[]
          ) AS c(code, at, referrer_host, user_agent_family)
        ), known AS (
          SELECT l.id AS link_id, (c.at AT TIME ZONE 'UTC')::date AS day, c.referrer_host, c.user_agent_family
          FROM c JOIN links l ON l.code = c.code
        ), upsert AS (
          INSERT INTO click_counts (link_id, day, referrer_host, user_agent_family, clicks)
          SELECT link_id, day, referrer_host, user_agent_family, count(*) FROM known
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
          ON CONFLICT (link_id, day, referrer_host, user_agent_family)
          DO UPDATE SET clicks = click_counts.clicks + excluded.clicks
        )
        SELECT count(*)::int AS recorded FROM known`.execute(trx);
      const recorded = rows[0]?.recorded ?? 0;
      await trx.updateTable("click_batches").set({ recorded }).where("batch_id", "=", batchId).execute();
      await sql`DELETE FROM click_batches WHERE processed_at < now() - ${BATCH_MEMORY}::interval`.execute(
        trx,
      );
      return { recorded, duplicate: false };
    });
  }

  /** Totals per UTC day, referrer host and user-agent family for one link, in one query. */
  async stats(linkId: number): Promise<LinkStats> {
    const { rows } = await sql<{
      day: string | null;
      host: string | null;
      family: string | null;
      clicks: number;
    }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, referrer_host AS host, user_agent_family AS family,
             sum(clicks)::bigint AS clicks
      FROM click_counts WHERE link_id = ${linkId}
      GROUP BY GROUPING SETS ((day), (referrer_host), (user_agent_family))`.execute(this.db);
    const stats: LinkStats = { total: 0, perDay: [], referrers: [], userAgents: [] };
    for (const row of rows) {
      if (row.day !== null) {
        stats.perDay.push({ date: row.day, clicks: row.clicks });
        stats.total += row.clicks;
      } else if (row.host !== null) {
        if (row.host !== "") stats.referrers.push({ host: row.host, clicks: row.clicks });
      } else if (row.family !== null) {
        stats.userAgents.push({ family: row.family, clicks: row.clicks });
      }
    }
    stats.perDay.sort((a, b) => a.date.localeCompare(b.date));
    const busiest = <T extends { clicks: number }>(a: T, b: T, ka: string, kb: string) =>
      b.clicks - a.clicks || (ka < kb ? -1 : ka > kb ? 1 : 0);
    stats.referrers.sort((a, b) => busiest(a, b, a.host, b.host));
    stats.referrers = stats.referrers.slice(0, STATS_MAX_REFERRERS);
    stats.userAgents.sort((a, b) => busiest(a, b, a.family, b.family));
    return stats;
  }
}
