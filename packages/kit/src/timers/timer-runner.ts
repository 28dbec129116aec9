import { type Kysely, sql, type Transaction } from "kysely";
import type pg from "pg";
import { listen } from "../events/pg-listener.ts";
import { backoff, Wake } from "../events/wake.ts";
import type { Logger } from "../log/logger.ts";
import { TIMER_CHANNEL } from "./timers.ts";

/** A due timer as its handler sees it. */
export interface DueTimer {
  kind: string;
  key: string;
  dueAt: Date;
  payload: unknown;
  /** 1 the first time it fires; more after the handler threw. */
  attempt: number;
}

/** Runs a due timer; its writes commit together with the timer's deletion. */
export type TimerHandler<DB> = (timer: DueTimer, trx: Transaction<DB>) => Promise<void>;

export interface TimerRunnerOptions<DB> {
  db: Kysely<DB>;
  /** A pool on the same database, for LISTEN. */
  pool: pg.Pool;
  logger: Logger;
  handlers: Record<string, TimerHandler<DB>>;
  /** Look for due timers at least this often; default 5 s. */
  maxSleepMs?: number;
  /** Retry a failing handler after a delay doubling from `retryMinMs` (1 s) to `retryMaxMs` (5 min). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

interface Row {
  kind: string;
  key: string;
  version: string;
  due_at: Date;
  payload: unknown;
  attempts: number;
}

/**
 * Fires due timers: claims one with FOR UPDATE SKIP LOCKED, runs its handler and deletes it in
 * the same transaction, so each (kind, key) fires once even with several replicas, and a crash
 * before commit leaves it to fire again after restart. Sleeps until the next due time or NOTIFY.
 */
export function startTimerRunner<DB>(options: TimerRunnerOptions<DB>): { stop(): Promise<void> } {
  const { db, logger, handlers } = options;
  const kinds = Object.keys(handlers);
  const maxSleep = options.maxSleepMs ?? 5_000;
  const wake = new Wake();
  let stopped = false;
  const listener = listen(options.pool, TIMER_CHANNEL, () => wake.wake());

  /** Fires one due timer; returns ms until the next is due (0 = look again now). */
  const fireOne = (): Promise<number> =>
    db.transaction().execute(async (trx) => {
      const { rows } = await sql<Row>`SELECT kind, key, version, due_at, payload, attempts FROM kit_timers
         WHERE due_at <= now() AND kind = ANY(${kinds}::text[])
         ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
      const row = rows[0];
      if (!row) {
        const next = await sql<{
          ms: number | null;
        }>`SELECT (extract(epoch FROM min(due_at) - now()) * 1000)::float8 AS ms
          FROM kit_timers WHERE kind = ANY(${kinds}::text[])`.execute(trx);
        const ms = next.rows[0]?.ms;
        return ms === null || ms === undefined ? maxSleep : Math.min(maxSleep, Math.max(10, ms));
      }
      const handler = handlers[row.kind] as TimerHandler<DB>;
      const timer = {
        kind: row.kind,
        key: row.key,
        dueAt: row.due_at,
        payload: row.payload,
        attempt: row.attempts + 1,
      };
      await sql`SAVEPOINT kit_timer`.execute(trx);
      try {
        await handler(timer, trx);
        // Only this version: a handler that rescheduled its own (kind, key) keeps the new one.
        await sql`DELETE FROM kit_timers WHERE kind = ${row.kind} AND key = ${row.key} AND version = ${row.version}::uuid`.execute(
          trx,
        );
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT kit_timer`.execute(trx);
        const delay = backoff(timer.attempt, options.retryMinMs ?? 1_000, options.retryMaxMs ?? 300_000);
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await sql`UPDATE kit_timers SET attempts = attempts + 1, last_error = ${message.slice(0, 4000)},
            due_at = now() + make_interval(secs => ${delay / 1000})
          WHERE kind = ${row.kind} AND key = ${row.key} AND version = ${row.version}::uuid`.execute(trx);
        logger.warn(
          { err: error, kind: row.kind, key: row.key, attempt: timer.attempt },
          "timer handler failed; will retry",
        );
      }
      return 0;
    });

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let sleep: number;
      try {
        sleep = await fireOne();
        failures = 0;
      } catch (error) {
        failures++;
        sleep = backoff(failures, 200, maxSleep);
        logger.warn({ err: error }, "timer runner: database error, will retry");
      }
      if (sleep > 0) await wake.wait(sleep);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake.wake();
      await loop;
      await listener.stop();
    },
  };
}
