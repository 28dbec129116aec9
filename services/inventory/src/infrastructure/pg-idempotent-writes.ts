import { createHash } from "node:crypto";
import { DomainError, errors } from "@toko/kit";
import { sql } from "kysely";
import type { IdempotentWrites, Trx, WriteKey } from "../application/ports.ts";

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** Responses are rows as the use cases return them: `*_at` fields are timestamps. */
function revive(key: string, value: unknown): unknown {
  return key.endsWith("_at") && typeof value === "string" ? new Date(value) : value;
}

function fingerprintOf(key: WriteKey): string {
  return createHash("sha256")
    .update(JSON.stringify([key.operation, key.request]))
    .digest("hex");
}

/**
 * Keyed writes in `idempotent_writes`: the key is claimed by inserting its row in the write's
 * own transaction (a concurrent duplicate waits on the primary key until the first commits or
 * rolls back) and the response is stored before commit, so the change and its key commit
 * together or not at all. A write that fails rolls its claim back: the retry runs again.
 */
export const pgIdempotentWrites: IdempotentWrites = {
  async once(trx, key, write) {
    if (key.key === "") return write();
    if (!keyPattern.test(key.key))
      throw errors.invalid("invalid idempotency key", [
        { field: "idempotency_key", message: "must be 1-255 visible ASCII characters" },
      ]);
    const fingerprint = fingerprintOf(key);
    const claimed = await sql`INSERT INTO idempotent_writes (shop_id, operation, key, fingerprint)
      VALUES (${key.shopId}, ${key.operation}, ${key.key}, ${fingerprint})
      ON CONFLICT DO NOTHING RETURNING 1`.execute(trx);
    if (claimed.rows.length === 0) return replay(trx, key, fingerprint);
    const response = await write();
    await sql`UPDATE idempotent_writes SET response = ${JSON.stringify(response)}::jsonb
      WHERE shop_id = ${key.shopId} AND operation = ${key.operation} AND key = ${key.key}`.execute(trx);
    return response;
  },
};

async function replay<T>(trx: Trx, key: WriteKey, fingerprint: string): Promise<T> {
  const { rows } = await sql<{ fingerprint: string; response: string | null }>`
    SELECT fingerprint, response::text AS response FROM idempotent_writes
     WHERE shop_id = ${key.shopId} AND operation = ${key.operation} AND key = ${key.key}`.execute(trx);
  const prior = rows[0];
  // Only if retention pruned the key in between: the client retries, and then runs afresh.
  if (!prior || prior.response === null)
    throw errors.conflict("IDEMPOTENCY_IN_PROGRESS", "the request with this idempotency key is settling");
  if (prior.fingerprint !== fingerprint)
    throw new DomainError(
      "invalid",
      "IDEMPOTENCY_KEY_REUSED",
      "this idempotency key was used with a different request",
    );
  return JSON.parse(prior.response, revive) as T;
}
