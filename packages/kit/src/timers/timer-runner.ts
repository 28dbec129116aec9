import type { Kysely, Transaction } from "kysely";
import type pg from "pg";
import { DEAD_LETTER_CHANNEL } from "../events/dead-letters.ts";
import { eventMetrics } from "../events/metrics.ts";
import { listen } from "../events/pg-listener.ts";
import { backoff, Wake } from "../events/wake.ts";
import type { Logger } from "../log/logger.ts";
import {
  type ClaimedTimer,
  claimDue,
  complete,
  deadLetterTimer,
  lockClaimed,
  msUntilNextDue,
  redriveOneTimer,
  renewLease,
  retryLater,
} from "./timer-store.ts";
import { TIMER_CHANNEL } from "./timers.ts";

/** A due timer as its handler sees it. */
export interface DueTimer {
  kind: string;
  key: string;
  dueAt: Date;
  payload: unknown;
  /** 1 the first time it fires; more after the handler threw (or its runner died). */
  attempt: number;
}

/**
 * Database-only work: runs in the transaction that completes the timer, so its writes commit
 * together with the timer's deletion, exactly once. Never call another service from here — the
 * transaction (and its locks) would stay open for the whole call; use `TimerCall`.
 */
export type TimerTransaction<DB> = (timer: DueTimer, trx: Transaction<DB>) => Promise<void>;

/**
 * Work with a remote part (a gRPC call, an e-mail...): `remote` runs with no transaction open,
 * then `record` (optional) writes its outcome in the transaction that completes the timer.
 */
export interface TimerCall<DB, R = unknown> {
  /**
   * The remote work. At least once: it runs again when the runner dies before the completion
   * commits, or after a failure, so the callee must treat a repeat as a no-op (an idempotency key,
   * a state check).
   */
  remote(timer: DueTimer): Promise<R>;
  /**
   * Records `remote`'s result; committed with the timer's completion. Skipped (and logged) when the
   * timer was rescheduled or cancelled while the remote work ran: the newer schedule decides.
   */
  record?(timer: DueTimer, result: R, trx: Transaction<DB>): Promise<void>;
}

/** What runs when a timer of one kind is due. */
export type TimerHandler<DB> = TimerTransaction<DB> | TimerCall<DB>;

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
  /** Attempts before a timer moves to the dead letters (group `timer:<kind>`); default 10. */
  maxAttempts?: number;
  /** Timers claimed per query; default 20. */
  batchSize?: number;
  /** Timers of a batch run at once (each tx-bound one holds a connection); default 4. */
  concurrency?: number;
  /** A claimed timer is left to other runners if its runner does not renew it within this; default 60 s. */
  leaseMs?: number;
  /** Look for redrive requests of timer dead letters this often even without a NOTIFY; default 5 s. */
  redrivePollMs?: number;
}

/**
 * Fires due timers. Each round claims a batch in one short statement (SKIP LOCKED, so replicas
 * share the work and each timer fires once), then runs the handlers with no claim transaction
 * open: a `TimerTransaction` in its own transaction that also deletes the timer, a `TimerCall`
 * outside any transaction followed by a short completing one. Leases are renewed while the batch
 * runs; a crashed runner's timers fire again after the lease. A handler that keeps failing
 * retries with backoff and, after `maxAttempts`, becomes a dead letter an operator can redrive.
 */
export function startTimerRunner<DB>(options: TimerRunnerOptions<DB>): { stop(): Promise<void> } {
  const { db, logger, handlers } = options;
  const kinds = Object.keys(handlers);
  const maxSleep = options.maxSleepMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const batchSize = options.batchSize ?? 20;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const leaseMs = options.leaseMs ?? 60_000;
  const redrivePollMs = options.redrivePollMs ?? 5_000;
  const wake = new Wake();
  let stopped = false;
  let redriveDue = true;
  let lastRedrive = 0;
  const listeners =
    kinds.length === 0
      ? []
      : [
          listen(options.pool, TIMER_CHANNEL, () => wake.wake()),
          listen(options.pool, DEAD_LETTER_CHANNEL, () => {
            redriveDue = true;
            wake.wake();
          }),
        ];

  const fail = async (t: ClaimedTimer, timer: DueTimer, error: unknown): Promise<void> => {
    const labels = { kind: t.kind };
    eventMetrics.timerFailures.inc(labels);
    const log = { err: error, kind: t.kind, key: t.key, attempt: t.attempt };
    if (t.attempt >= maxAttempts) {
      if (await deadLetterTimer(db, t, error)) {
        eventMetrics.timersDeadLettered.inc(labels);
        logger.error(log, "timer handler kept failing; moved to dead letters");
      }
      return;
    }
    const delay = backoff(timer.attempt, options.retryMinMs ?? 1_000, options.retryMaxMs ?? 300_000);
    await retryLater(db, t, error, delay);
    logger.warn({ ...log, retryInMs: delay }, "timer handler failed; will retry");
  };

  const fire = async (t: ClaimedTimer): Promise<void> => {
    const timer: DueTimer = {
      kind: t.kind,
      key: t.key,
      dueAt: t.dueAt,
      payload: t.payload,
      attempt: t.attempt,
    };
    if (t.attempt > maxAttempts) {
      // Claimed more often than allowed without an outcome: its runners died during the attempts.
      await fail(
        t,
        timer,
        new Error(`no outcome after ${t.attempt - 1} claims (runner stopped or lease lapsed)`),
      );
      return;
    }
    const handler = handlers[t.kind] as TimerHandler<DB>;
    try {
      let done: boolean;
      if (typeof handler === "function") {
        done = await db.transaction().execute(async (trx) => {
          if (!(await lockClaimed(trx, t))) return false;
          await handler(timer, trx);
          await complete(trx, t);
          return true;
        });
      } else {
        const result = await handler.remote(timer);
        done = await db.transaction().execute(async (trx) => {
          if (!(await lockClaimed(trx, t))) return false;
          await handler.record?.(timer, result, trx);
          await complete(trx, t);
          return true;
        });
      }
      if (done) eventMetrics.timersFired.inc({ kind: t.kind });
      else logger.info({ kind: t.kind, key: t.key }, "timer changed while it ran; its newer schedule stands");
    } catch (error) {
      await fail(t, timer, error).catch((e) =>
        // The claim's lease runs out and the timer is tried again: nothing is lost.
        logger.warn({ err: e, kind: t.kind, key: t.key }, "timer runner: cannot record a failure"),
      );
    }
  };

  /** Runs a claimed batch, `concurrency` at a time, renewing the batch's lease meanwhile. */
  const runBatch = async (batch: ClaimedTimer[]): Promise<void> => {
    const claim = batch[0]?.claim as string;
    const renew = setInterval(() => {
      renewLease(db, claim, leaseMs).catch((e) =>
        logger.warn({ err: e }, "timer runner: lease renewal failed"),
      );
    }, leaseMs / 3);
    try {
      const queue = [...batch];
      const worker = async () => {
        for (let t = queue.shift(); t; t = queue.shift()) await fire(t);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    } finally {
      clearInterval(renew);
    }
  };

  /** Redrives queued timer dead letters, then fires one batch; returns ms to sleep (0 = go on). */
  const round = async (): Promise<number> => {
    if (redriveDue || Date.now() - lastRedrive >= redrivePollMs) {
      redriveDue = false;
      lastRedrive = Date.now();
      for (let r = await redriveOneTimer(db, kinds); r; r = await redriveOneTimer(db, kinds)) {
        logger.info(
          r,
          r.rescheduled ? "timer dead letter redriven" : "timer dead letter not redriven: newer timer",
        );
      }
    }
    const batch = await claimDue(db, kinds, batchSize, leaseMs);
    if (batch.length > 0) {
      await runBatch(batch);
      return 0;
    }
    const ms = await msUntilNextDue(db, kinds);
    return ms === undefined ? maxSleep : Math.min(maxSleep, Math.max(10, ms));
  };

  const loop = (async () => {
    if (kinds.length === 0) return;
    let failures = 0;
    while (!stopped) {
      let sleep: number;
      try {
        sleep = await round();
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
      await Promise.all(listeners.map((l) => l.stop()));
    },
  };
}
