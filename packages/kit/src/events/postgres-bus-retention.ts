import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import { eventMetrics } from "./metrics.ts";
import { repeatEvery } from "./wake.ts";

export interface BusRetentionOptions {
  /** Pool on the bus database. */
  pool: pg.Pool;
  logger: Logger;
  /** Events older than this may go, once every registered group has read past them. */
  retentionMs: number;
  /** Prune (and check for held-back events) this often. */
  intervalMs: number;
}

// One pruner at a time across every process on the bus (transaction-scoped advisory lock).
const PRUNE_LOCK = 727_004;

/**
 * Prunes the Postgres bus log after the retention, but never past the lowest committed offset of
 * any registered group (a row in `kit_bus_offsets`) in a partition: a group that is down or
 * behind keeps its unread events. Such held-back events are counted per group in
 * `toko_bus_retention_held_events` and logged as errors on every round until the group catches
 * up or is retired (its offsets deleted).
 */
export async function pruneBusLog(options: Omit<BusRetentionOptions, "intervalMs">): Promise<number> {
  const { pool, logger } = options;
  const secs = options.retentionMs / 1000;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const lock = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [
      PRUNE_LOCK,
    ]);
    if (!lock.rows[0]?.ok) {
      await client.query("ROLLBACK");
      return 0;
    }
    const pruned = await client.query(
      `DELETE FROM kit_bus_events e
        USING (SELECT p.partition, (SELECT min(o.committed) FROM kit_bus_offsets o WHERE o.partition = p.partition) AS low
                 FROM kit_bus_partitions p) r
        WHERE e.partition = r.partition AND e.published_at < now() - make_interval(secs => $1)
          AND (r.low IS NULL OR e.seq <= r.low)`,
      [secs],
    );
    const { rows: held } = await client.query<{ group_name: string; n: number; oldest: number }>(
      `SELECT o.group_name, count(*)::int AS n, extract(epoch FROM now() - min(e.published_at))::float8 AS oldest
         FROM kit_bus_offsets o
         JOIN kit_bus_events e ON e.partition = o.partition AND e.seq > o.committed
        WHERE e.published_at < now() - make_interval(secs => $1)
        GROUP BY o.group_name ORDER BY o.group_name`,
      [secs],
    );
    await client.query("COMMIT");
    eventMetrics.busRetentionHeld.reset();
    for (const h of held) {
      eventMetrics.busRetentionHeld.set({ group: h.group_name }, h.n);
      logger.error(
        { group: h.group_name, heldEvents: h.n, oldestSeconds: Math.round(h.oldest) },
        `event bus: group ${h.group_name} has not read ${h.n} events past the retention; they are kept until it does (retire a group that is gone: DELETE FROM kit_bus_offsets WHERE group_name = '${h.group_name}')`,
      );
    }
    return pruned.rowCount ?? 0;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `pruneBusLog` every `intervalMs` (first right away) until stopped. */
export function startBusRetention(options: BusRetentionOptions): { stop(): Promise<void> } {
  return repeatEvery(options.intervalMs, async () => {
    try {
      const pruned = await pruneBusLog(options);
      if (pruned > 0) options.logger.debug({ pruned }, "event bus: pruned events past the retention");
    } catch (error) {
      options.logger.warn({ err: error }, "event bus: pruning failed, will retry");
    }
  });
}
