import { sql, type Transaction } from "kysely";
import { createEnvelope, type EventEnvelope, encodeEnvelope, type NewEvent } from "./envelope.ts";

/** NOTIFY channel the relay listens on; fired by `add` and delivered only on commit. */
export const OUTBOX_CHANNEL = "kit_outbox";

/** Writes events into the service's outbox inside the caller's transaction. */
export interface Outbox {
  /**
   * Adds events to the outbox in `trx`: they reach the bus only if the transaction commits.
   * Returns the envelopes written (with their ids).
   */
  add<DB>(trx: Transaction<DB>, events: readonly NewEvent[]): Promise<EventEnvelope[]>;
}

/** An outbox for the service named `source` (the envelope's `source`). */
export function createOutbox(source: string): Outbox {
  return {
    async add(trx, events) {
      if (events.length === 0) return [];
      const envelopes = events.map((e) => createEnvelope(source, e));
      const rows = envelopes.map((e) => sql`(${e.id}::uuid, ${e.type}, ${e.subject}, ${encodeEnvelope(e)})`);
      // One round trip: the rows and the relay's wake-up (NOTIFY is delivered at commit, once
      // per transaction however many statements send it).
      await sql`WITH written AS (
          INSERT INTO kit_outbox (event_id, type, subject, envelope) VALUES ${sql.join(rows)} RETURNING 1
        )
        SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM (SELECT 1 FROM written LIMIT 1) w`.execute(trx);
      return envelopes;
    },
  };
}
