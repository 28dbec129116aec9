import { sql, type Transaction } from "kysely";
import type { TimerWriter } from "./pg-catalog-tx.ts";

/**
 * Schedules a row in the kit's durable timer table in the caller's transaction. An existing
 * timer of the same kind and key is moved to the new time (with a new version).
 */
export const kitTimerWriter: TimerWriter = {
  async schedule<DB>(trx: Transaction<DB>, kind: string, key: string, dueAt: Date, payload: unknown) {
    await sql`INSERT INTO kit_timers (kind, key, version, due_at, payload)
      VALUES (${kind}, ${key}, gen_random_uuid(), ${dueAt}, ${JSON.stringify(payload)}::jsonb)
      ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, due_at = excluded.due_at,
        payload = excluded.payload, attempts = 0, last_error = NULL`.execute(trx);
  },
};
