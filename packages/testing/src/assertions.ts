import assert from "node:assert/strict";
import { DomainError } from "@toko/kit";
import type pg from "pg";

/** Asserts that `promise` fails with a `DomainError` of this code; returns it for more checks. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DomainError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected DomainError ${code}, but the promise resolved`);
  assert.ok(caught instanceof DomainError, `expected DomainError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected DomainError ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not a plain table or column name: ${name}`);
  return name
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
}

/**
 * Rows in `table`, optionally only those whose columns equal `where`'s values (`null` matches
 * NULL): `await countRows(db.pool, "links", { owner_id: "alice" })`. Values are bound, never inlined.
 */
export async function countRows(
  pool: pg.Pool,
  table: string,
  where: Record<string, unknown> = {},
): Promise<number> {
  const values: unknown[] = [];
  const conditions = Object.entries(where).map(([column, value]) => {
    if (value === null) return `${quoted(column)} IS NULL`;
    values.push(value);
    return `${quoted(column)} = $${values.length}`;
  });
  const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${quoted(table)}${filter}`,
    values,
  );
  return rows[0]?.n ?? 0;
}
