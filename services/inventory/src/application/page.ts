import { errors } from "@toko/kit";
import { sql } from "kysely";

/** A list request's page: `limit` 0 means the default; `cursor` empty for the first page. */
export interface PageInput {
  limit: number;
  cursor: string;
}

/** One page of items and the cursor of the next ("" on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string;
}

/** A cursor's key: the sort columns of the last item returned, in order. */
export type CursorKey = readonly (string | number)[];

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** The page size asked for: 0 → 20; otherwise 1–100 or VALIDATION_FAILED. */
export function pageLimit(limit: number): number {
  if (limit === 0) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw errors.invalid("invalid page", [{ field: "page.limit", message: `between 1 and ${MAX_LIMIT}` }]);
  return limit;
}

const badCursor = () =>
  errors.invalid("invalid page", [{ field: "page.cursor", message: "not a cursor of this list" }]);

/**
 * The key inside a cursor of list `kind`, checked against the key's column types (a cursor of
 * another list, or a tampered one, is VALIDATION_FAILED rather than a confusing query error);
 * undefined for the first page.
 */
export function decodeCursor(
  kind: string,
  cursor: string,
  types: readonly ("string" | "integer")[],
): CursorKey | undefined {
  if (cursor === "") return undefined;
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== types.length + 1 || parsed[0] !== kind) throw badCursor();
  const key = parsed.slice(1) as unknown[];
  const ok = key.every((v, i) =>
    types[i] === "string" ? typeof v === "string" : typeof v === "number" && Number.isSafeInteger(v),
  );
  if (!ok) throw badCursor();
  return key as CursorKey;
}

/** The opaque cursor for a key of list `kind`. */
export function encodeCursor(kind: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([kind, ...key]), "utf8").toString("base64url");
}

/**
 * A page from `limit + 1` rows fetched in key order: the extra row only tells that another page
 * exists, and the cursor is the key of the last row returned.
 */
export function toPage<T>(rows: T[], limit: number, kind: string, keyOf: (row: T) => CursorKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(kind, keyOf(last)) : "" };
}

/** `created_at` in whole microseconds since the epoch: exact, unlike a JS Date (milliseconds). */
export const createdMicros = (column: string) =>
  sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000000)::int8`;

/** The timestamp a `createdMicros` value stands for, as a SQL expression. */
export const fromMicros = (micros: string | number) =>
  sql`(timestamptz 'epoch' + ${micros}::int8 * interval '1 microsecond')`;
