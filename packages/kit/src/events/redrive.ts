import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import { type EventHandler, handleInTransaction, inEventSpan } from "./consumers.ts";
import { DEAD_LETTER_CHANNEL } from "./dead-letters.ts";
import { decodeEnvelope, type EventEnvelope } from "./envelope.ts";
import { eventMetrics } from "./metrics.ts";
import { listen } from "./pg-listener.ts";
import { Wake } from "./wake.ts";

interface RedriveOptions<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  logger: Logger;
  groups: string[];
  handlerFor(group: string, type: string): EventHandler<DB> | undefined;
  pollMs: number;
}

/** The handler threw during a redrive; carries what is needed to mark the letter dead again. */
class RedriveFailed extends Error {
  constructor(
    readonly letterId: number,
    readonly group: string,
    readonly envelope: EventEnvelope,
    override readonly cause: unknown,
  ) {
    super("redrive failed");
  }
}

/**
 * Handles dead letters an operator queued for redrive ("redrive" status) in this process: the
 * letter's row lock, the inbox row, the handler's writes and the letter's deletion share one
 * transaction. A redrive that fails again puts the letter back to "dead" with the new error.
 */
export function startRedrive<DB>(options: RedriveOptions<DB>): { stop(): Promise<void> } {
  const { db, pool, logger, groups } = options;
  const wake = new Wake();
  let stopped = false;
  const listener = groups.length > 0 ? listen(pool, DEAD_LETTER_CHANNEL, () => wake.wake()) : undefined;

  const redriveOne = (): Promise<boolean> =>
    db.transaction().execute(async (trx) => {
      // SKIP LOCKED: two replicas never redrive one letter at once.
      const { rows } = await sql<{ id: number; group_name: string; envelope: Buffer; attempts: number }>`
        SELECT id, group_name, envelope, attempts FROM kit_dead_letters
         WHERE status = 'redrive' AND group_name = ANY(${groups}::text[])
         ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
      const row = rows[0];
      if (!row) return false;
      const envelope = decodeEnvelope(row.envelope);
      try {
        const handler = options.handlerFor(row.group_name, envelope.type);
        if (!handler) throw new Error(`group ${row.group_name} has no handler for ${envelope.type}`);
        await inEventSpan(row.group_name, envelope, () =>
          handleInTransaction(trx, row.group_name, envelope, row.attempts + 1, handler),
        );
      } catch (error) {
        throw new RedriveFailed(row.id, row.group_name, envelope, error);
      }
      await sql`DELETE FROM kit_dead_letters WHERE id = ${row.id}`.execute(trx);
      logger.info({ deadLetterId: row.id, eventId: envelope.id }, "dead letter redriven");
      return true;
    });

  const markDead = async (failure: RedriveFailed): Promise<void> => {
    const { cause } = failure;
    const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    await pool.query(
      `UPDATE kit_dead_letters SET status = 'dead', error = $2, attempts = attempts + 1, updated_at = now()
        WHERE id = $1`,
      [failure.letterId, message.slice(0, 4000)],
    );
    eventMetrics.deadLettered.inc({ group: failure.group, type: failure.envelope.type });
    logger.error(
      { err: cause, deadLetterId: failure.letterId, eventId: failure.envelope.id },
      "redrive failed; the event is a dead letter again",
    );
  };

  const loop = (async () => {
    if (groups.length === 0) return;
    while (!stopped) {
      let more = false;
      try {
        more = await redriveOne();
      } catch (error) {
        if (error instanceof RedriveFailed) {
          // If the letter cannot be marked dead, wait for the poll instead of spinning on it.
          more = await markDead(error).then(
            () => true,
            (e) => {
              logger.warn({ err: e }, "dead letter redrive: database error");
              return false;
            },
          );
        } else {
          logger.warn({ err: error }, "dead letter redrive: database error, will retry");
        }
      }
      if (!more) await wake.wait(options.pollMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake.wake();
      await loop;
      await listener?.stop();
    },
  };
}
