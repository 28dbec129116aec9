import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";

/** NOTIFY channel telling runners a timer was (re)scheduled. */
export const TIMER_CHANNEL = "kit_timers";

export interface TimerSpec {
  /** What to do, e.g. "payment.expire"; a runner has one handler per kind. */
  kind: string;
  /** The aggregate, e.g. a payment id; one timer per (kind, key). */
  key: string;
  at: Date;
  /** JSON the handler receives. */
  payload?: unknown;
}

/**
 * Schedules (or moves) the timer for (kind, key) inside the caller's transaction: it exists only
 * if the transaction commits, and replaces any earlier one for the same (kind, key).
 */
export async function schedule<DB>(trx: Transaction<DB>, spec: TimerSpec): Promise<void> {
  if (!spec.kind || !spec.key) throw new TypeError("a timer needs a kind and a key");
  if (Number.isNaN(spec.at.getTime())) throw new TypeError(`timer ${spec.kind}/${spec.key}: invalid time`);
  await sql`INSERT INTO kit_timers (kind, key, version, due_at, payload)
    VALUES (${spec.kind}, ${spec.key}, ${randomUUID()}::uuid, ${spec.at}, ${JSON.stringify(spec.payload ?? null)}::jsonb)
    ON CONFLICT (kind, key) DO UPDATE
      SET version = excluded.version, due_at = excluded.due_at, payload = excluded.payload,
          attempts = 0, last_error = NULL, claim = NULL`.execute(trx);
  await sql`SELECT pg_notify(${TIMER_CHANNEL}, '')`.execute(trx);
}

/** Cancels the timer for (kind, key) in the caller's transaction; true when one existed. */
export async function cancel<DB>(trx: Transaction<DB>, kind: string, key: string): Promise<boolean> {
  const result = await sql`DELETE FROM kit_timers WHERE kind = ${kind} AND key = ${key}`.execute(trx);
  return (result.numAffectedRows ?? 0n) > 0n;
}
