import type { Logger } from "@toko/kit";
import { sql } from "kysely";
import type { Db, Trx } from "../application/ports.ts";

/** Runs a due timer inside the transaction that deletes it. */
export type TimerHandler = (trx: Trx, key: string, payload: unknown) => Promise<void>;

export interface TimerRunnerOptions {
  db: Db;
  logger: Logger;
  handlers: Record<string, TimerHandler>;
  /** Look for due timers this often; default 1000 ms. */
  pollIntervalMs?: number;
}

/** A running timer loop. */
export interface TimerRunner {
  /** Runs every timer due now; resolves with how many ran (tests and start-up use it). */
  runDue(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Fires `kit_timers` rows of the given kinds once they are due. Each timer runs in its own
 * transaction with its row locked (SKIP LOCKED, so replicas share the work and never run one
 * twice); the handler's writes and the row's deletion commit together, so a crash before the
 * commit leaves the timer to fire again after restart. A failing handler is retried with
 * backoff. (Kept here until the kit's own timer runtime lands; same table, same semantics.)
 */
export function startTimerRunner(options: TimerRunnerOptions): TimerRunner {
  const { db, logger, handlers } = options;
  const kinds = Object.keys(handlers);
  const pollMs = options.pollIntervalMs ?? 1_000;
  let stopped = false;
  let wake: (() => void) | undefined;

  const runOne = async (): Promise<boolean> => {
    let claimed: { kind: string; key: string; attempts: number } | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{
          kind: string;
          key: string;
          version: string;
          payload: unknown;
          attempts: number;
        }>`
          SELECT kind, key, version, payload, attempts FROM kit_timers
           WHERE kind = ANY(${kinds}) AND due_at <= now()
           ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
        const timer = rows[0];
        if (!timer) return false;
        claimed = timer;
        await handlers[timer.kind]?.(trx, timer.key, timer.payload);
        await sql`DELETE FROM kit_timers WHERE kind = ${timer.kind} AND key = ${timer.key}
          AND version = ${timer.version}`.execute(trx);
        return true;
      });
    } catch (error) {
      if (!claimed) throw error;
      const delaySecs = Math.min(300, 2 ** Math.min(claimed.attempts, 8));
      logger.warn({ err: error, kind: claimed.kind, key: claimed.key }, "timer failed; will retry");
      await sql`UPDATE kit_timers SET attempts = attempts + 1, last_error = ${String(error)},
        due_at = now() + make_interval(secs => ${delaySecs}) WHERE kind = ${claimed.kind} AND key = ${claimed.key}`.execute(
        db,
      );
      return true;
    }
  };

  const runDue = async (): Promise<number> => {
    let ran = 0;
    while (!stopped && (await runOne())) ran++;
    return ran;
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await runDue();
      } catch (error) {
        logger.warn({ err: error }, "timer runner: poll failed");
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  })();

  return {
    runDue,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
