import type { Logger } from "@toko/kit";
import { sql } from "kysely";
import type { Db } from "../application/ports.ts";
import { every } from "./every.ts";

/** How long finished rows are kept and how often they are pruned. */
export interface RetentionOptions {
  db: Db;
  logger: Logger;
  /** Committed, released and expired reservations (tombstones included) older than this go. */
  finishedReservationsMs: number;
  /** Idempotency keys older than this go (well past any client's retry window). */
  idempotencyKeysMs: number;
  intervalMs: number;
}

/** A running pruner. */
export interface Retention {
  /** One pass now; resolves with the rows removed per table (tests use it). */
  prune(): Promise<{ reservations: number; idempotencyKeys: number }>;
  stop(): Promise<void>;
}

// Small batches, each its own short transaction: pruning never holds many locks for long.
const BATCH = 1_000;

/**
 * Prunes on a schedule what only needs to live for a while: finished reservations (with their
 * allocations; held ones are never touched, and the ledger keeps the stock history) and
 * idempotency keys. Every replica may run it: deleting what another already deleted is harmless.
 */
export function startRetention(options: RetentionOptions): Retention {
  const { db, logger } = options;
  let stopped = false;

  const pruneReservations = () =>
    db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ checkout_id: string }>`
        SELECT checkout_id FROM reservations
         WHERE status <> 'held' AND updated_at < now() - make_interval(secs => ${options.finishedReservationsMs / 1000})
         ORDER BY updated_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`.execute(trx);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.checkout_id);
      await sql`DELETE FROM reservation_allocations WHERE checkout_id = ANY(${ids}::text[])`.execute(trx);
      await sql`DELETE FROM reservations WHERE checkout_id = ANY(${ids}::text[])`.execute(trx);
      return rows.length;
    });

  const pruneKeys = async () => {
    const result = await sql`DELETE FROM idempotent_writes WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM idempotent_writes
         WHERE created_at < now() - make_interval(secs => ${options.idempotencyKeysMs / 1000})
         LIMIT ${BATCH}))`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  };

  const drain = async (batch: () => Promise<number>) => {
    let total = 0;
    for (let n = BATCH; n === BATCH && !stopped; total += n) n = await batch();
    return total;
  };

  const prune = async () => ({
    reservations: await drain(pruneReservations),
    idempotencyKeys: await drain(pruneKeys),
  });

  const periodic = every(
    options.intervalMs,
    async () => {
      const removed = await prune();
      if (removed.reservations + removed.idempotencyKeys > 0) logger.info(removed, "retention: pruned");
    },
    logger,
    "retention: prune failed; will retry next interval",
  );

  return {
    prune,
    async stop() {
      stopped = true;
      await periodic.stop();
    },
  };
}
