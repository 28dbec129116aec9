import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import { eventMetrics } from "./metrics.ts";
import { repeatEvery } from "./wake.ts";

// Deleted per statement, so pruning a large backlog never holds many row locks for long.
const CHUNK = 5_000;

/** Deletes inbox rows handled longer than `retentionMs` ago; returns how many. */
export async function pruneInbox(pool: pg.Pool, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM kit_inbox WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM kit_inbox WHERE handled_at < now() - make_interval(secs => $1) LIMIT $2))`,
      [retentionMs / 1000, CHUNK],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < CHUNK) break;
  }
  if (total > 0) eventMetrics.inboxPruned.inc(total);
  return total;
}

/** Runs `pruneInbox` every `intervalMs` (first right away) until stopped. */
export function startInboxPruner(
  pool: pg.Pool,
  logger: Logger,
  retentionMs: number,
  intervalMs: number,
): { stop(): Promise<void> } {
  return repeatEvery(intervalMs, async () => {
    try {
      const pruned = await pruneInbox(pool, retentionMs);
      if (pruned > 0) logger.debug({ pruned }, "inbox: pruned handled event ids past the retention");
    } catch (error) {
      logger.warn({ err: error }, "inbox: pruning failed, will retry");
    }
  });
}
