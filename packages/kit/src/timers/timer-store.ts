import { randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { decodeEnvelope, type EventEnvelope, encodeEnvelope } from "../events/envelope.ts";
import { TIMER_CHANNEL } from "./timers.ts";

/** A timer this runner claimed: the row's identity plus what its handler sees. */
export interface ClaimedTimer {
  kind: string;
  key: string;
  /** The schedule's version: a reschedule changes it, so an old claim never completes a new timer. */
  version: string;
  /** The batch that claimed it; a runner whose lease lapsed and was re-claimed completes nothing. */
  claim: string;
  dueAt: Date;
  payload: unknown;
  /** 1 on the first claim. */
  attempt: number;
}

/** Dead letters of timers are kept under the group `timer:<kind>` (never a consumer group's name). */
export const timerGroup = (kind: string): string => `timer:${kind}`;

const errorText = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 4000);

/**
 * Claims up to `limit` due timers of `kinds` in one statement (its own short transaction):
 * SKIP LOCKED keeps concurrent runners apart, and moving `due_at` to the lease's end keeps the
 * timers from being claimed again while this runner works on them.
 */
export async function claimDue<DB>(
  db: Kysely<DB>,
  kinds: readonly string[],
  limit: number,
  leaseMs: number,
): Promise<ClaimedTimer[]> {
  const claim = randomUUID();
  const { rows } = await sql<{
    kind: string;
    key: string;
    version: string;
    was_due: Date;
    payload: unknown;
    attempts: number;
  }>`WITH due AS (
       SELECT kind, key, due_at AS was_due FROM kit_timers
        WHERE due_at <= now() AND kind = ANY(${kinds}::text[])
        ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
     UPDATE kit_timers t SET claim = ${claim}::uuid, attempts = t.attempts + 1,
            due_at = now() + make_interval(secs => ${leaseMs / 1000})
       FROM due WHERE t.kind = due.kind AND t.key = due.key
     RETURNING t.kind, t.key, t.version, due.was_due, t.payload, t.attempts`.execute(db);
  return rows
    .map((r) => ({
      kind: r.kind,
      key: r.key,
      version: r.version,
      claim,
      dueAt: r.was_due,
      payload: r.payload,
      attempt: r.attempts,
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Milliseconds until the next timer of `kinds` is due (claimed ones count at their lease's end); undefined when none. */
export async function msUntilNextDue<DB>(
  db: Kysely<DB>,
  kinds: readonly string[],
): Promise<number | undefined> {
  const { rows } = await sql<{ ms: number | null }>`
    SELECT (extract(epoch FROM min(due_at) - now()) * 1000)::float8 AS ms
      FROM kit_timers WHERE kind = ANY(${kinds}::text[])`.execute(db);
  return rows[0]?.ms ?? undefined;
}

/** Extends the lease of the batch's timers still being worked on. */
export async function renewLease<DB>(db: Kysely<DB>, claim: string, leaseMs: number): Promise<void> {
  await sql`UPDATE kit_timers SET due_at = now() + make_interval(secs => ${leaseMs / 1000})
     WHERE claim = ${claim}::uuid`.execute(db);
}

/**
 * Locks the claimed timer in `trx` if it is still this claim's (not rescheduled, cancelled or
 * re-claimed after a lapsed lease); false otherwise, and then nothing may be recorded.
 */
export async function lockClaimed<DB>(trx: Transaction<DB>, t: ClaimedTimer): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM kit_timers
     WHERE kind = ${t.kind} AND key = ${t.key} AND version = ${t.version}::uuid AND claim = ${t.claim}::uuid
     FOR UPDATE`.execute(trx);
  return rows.length > 0;
}

/** Deletes the fired timer (only this version: a handler that rescheduled its key keeps the new one). */
export async function complete<DB>(trx: Transaction<DB>, t: ClaimedTimer): Promise<void> {
  await sql`DELETE FROM kit_timers WHERE kind = ${t.kind} AND key = ${t.key} AND version = ${t.version}::uuid`.execute(
    trx,
  );
}

/** Releases a failed timer to be claimed again after `delayMs`, keeping the error. */
export async function retryLater<DB>(
  db: Kysely<DB>,
  t: ClaimedTimer,
  error: unknown,
  delayMs: number,
): Promise<void> {
  await sql`UPDATE kit_timers SET claim = NULL, last_error = ${errorText(error)},
       due_at = now() + make_interval(secs => ${delayMs / 1000})
     WHERE kind = ${t.kind} AND key = ${t.key} AND version = ${t.version}::uuid AND claim = ${t.claim}::uuid`.execute(
    db,
  );
}

/**
 * Moves a timer that exhausted its attempts to the dead letters (group `timer:<kind>`, the
 * timer's version as event id, its payload as JSON), in one transaction with its deletion.
 * False when the claim was lost meanwhile (then the timer is another runner's business).
 */
export async function deadLetterTimer<DB>(db: Kysely<DB>, t: ClaimedTimer, error: unknown): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockClaimed(trx, t))) return false;
    const envelope: EventEnvelope = {
      id: t.version,
      type: t.kind,
      source: "timers",
      subject: t.key,
      occurredAt: t.dueAt,
      trace: undefined,
      payload: Buffer.from(JSON.stringify(t.payload ?? null)),
    };
    await sql`INSERT INTO kit_dead_letters (group_name, event_id, type, subject, envelope, error, attempts)
      VALUES (${timerGroup(t.kind)}, ${t.version}::uuid, ${t.kind}, ${t.key}, ${encodeEnvelope(envelope)},
              ${errorText(error)}, ${t.attempt})
      ON CONFLICT (group_name, event_id) DO UPDATE
        SET error = excluded.error, attempts = kit_dead_letters.attempts + excluded.attempts,
            status = 'dead', updated_at = now()`.execute(trx);
    await complete(trx, t);
    return true;
  });
}

/**
 * Turns one timer dead letter an operator queued for redrive back into a timer due now, with
 * fresh attempts. When a newer timer for the same (kind, key) exists, that one stands and the
 * letter goes back to "dead" saying so. Returns undefined when no letter was waiting.
 */
export async function redriveOneTimer<DB>(
  db: Kysely<DB>,
  kinds: readonly string[],
): Promise<{ kind: string; key: string; rescheduled: boolean } | undefined> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: number; envelope: Buffer }>`
      SELECT id, envelope FROM kit_dead_letters
       WHERE status = 'redrive' AND group_name = ANY(${kinds.map(timerGroup)}::text[])
       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
    const row = rows[0];
    if (!row) return undefined;
    const envelope = decodeEnvelope(row.envelope);
    const inserted = await sql`INSERT INTO kit_timers (kind, key, version, due_at, payload)
      VALUES (${envelope.type}, ${envelope.subject}, ${randomUUID()}::uuid, now(),
              ${Buffer.from(envelope.payload).toString()}::jsonb)
      ON CONFLICT (kind, key) DO NOTHING`.execute(trx);
    const rescheduled = (inserted.numAffectedRows ?? 0n) > 0n;
    if (rescheduled) {
      await sql`DELETE FROM kit_dead_letters WHERE id = ${row.id}`.execute(trx);
      await sql`SELECT pg_notify(${TIMER_CHANNEL}, '')`.execute(trx);
    } else {
      await sql`UPDATE kit_dead_letters SET status = 'dead', updated_at = now(),
          error = 'not redriven: a newer timer for this key is scheduled'
        WHERE id = ${row.id}`.execute(trx);
    }
    return { kind: envelope.type, key: envelope.subject, rescheduled };
  });
}
