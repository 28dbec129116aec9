import { sql } from "kysely";
import type { Timers, Trx } from "../application/ports.ts";

/**
 * Durable timers in the kit's `kit_timers` table, written in the caller's transaction: a timer
 * exists exactly when the state that needs it committed. Rescheduling replaces the version.
 */
export const kitTimers: Timers = {
  async schedule(trx: Trx, kind: string, key: string, dueAt: Date, payload: unknown) {
    await sql`INSERT INTO kit_timers (kind, key, version, due_at, payload)
      VALUES (${kind}, ${key}, gen_random_uuid(), ${dueAt}, ${JSON.stringify(payload ?? null)}::jsonb)
      ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, due_at = excluded.due_at,
        payload = excluded.payload, attempts = 0, last_error = NULL`.execute(trx);
  },
  async cancel(trx: Trx, kind: string, key: string) {
    await sql`DELETE FROM kit_timers WHERE kind = ${kind} AND key = ${key}`.execute(trx);
  },
};
