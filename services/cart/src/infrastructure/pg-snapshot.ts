import { type Kysely, type RawBuilder, sql } from "kysely";
import type pg from "pg";
import type { CartSnapshot, LineSnapshot } from "../application/model.ts";
import type { CartKey } from "../application/ports.ts";
import { variantFromRow, voucherFromRow } from "./rows.ts";
import type { CartDatabase } from "./schema.ts";

function where(key: CartKey) {
  if ("ownerId" in key) return sql`c.owner_id = ${key.ownerId}`;
  if ("tokenHash" in key) return sql`c.token_hash = ${key.tokenHash}`;
  return sql`c.id = ${key.cartId}`;
}

/** The statement name of the cart read for a kind of key (its text differs only by the key column). */
function statementName(key: CartKey): string {
  if ("ownerId" in key) return "cart_snapshot_by_owner";
  return "tokenHash" in key ? "cart_snapshot_by_token" : "cart_snapshot_by_id";
}

/**
 * Runs a statement; with a pool, as a named prepared statement, so each connection plans the
 * many-join cart read once instead of on every call (planning cost more than executing it).
 */
async function rowsOf<R>(
  db: Kysely<CartDatabase>,
  query: RawBuilder<R>,
  prepared?: { pool: pg.Pool; name: string },
): Promise<R[]> {
  if (!prepared) return (await query.execute(db)).rows;
  const compiled = query.compile(db);
  const res = await prepared.pool.query({
    name: prepared.name,
    text: compiled.sql,
    values: compiled.parameters as unknown[],
  });
  return res.rows as R[];
}

// A voucher use is live while redeemed, or held and not yet expired.
const live = (now: Date, excludeCheckout: string) =>
  sql`(u.status = 'redeemed' OR u.expires_at > ${now}) AND u.checkout_id <> ${excludeCheckout}`;

type LineRow = Record<string, unknown> & {
  cart_id: string;
  owner_id: string | null;
  updated_at: Date;
  version: number;
  catalog_version: number;
  has_vouchers: boolean;
  variant_id: string | null;
};

// A line's columns: its variant, shop and stock (the variant's, when the cart has no such line).
const lineColumns = sql`v.variant_id, v.product_id, v.shop_id, v.sku, v.title, v.options, v.image_url, v.price,
      v.product_status, v.active, v.stock_badge, v.weight_grams, v.length_cm, v.width_cm,
      v.height_cm, v.min_order, s.name AS shop_name, s.city AS shop_city, s.province AS shop_province,
      l.quantity, l.price_when_added, l.added_at, st.available, st.reorder_point`;

const catalogVersion = sql`(SELECT version FROM catalog_version) AS catalog_version`;

/** The rows of the carts matching `filter`: one per line (one with null lines for an empty cart). */
const cartRows = (filter: RawBuilder<unknown>, lead = sql``) => sql`
  SELECT ${lead} c.id AS cart_id, c.owner_id, c.updated_at, c.version, ${catalogVersion},
    EXISTS (SELECT 1 FROM cart_vouchers cv WHERE cv.cart_id = c.id) AS has_vouchers,
    ${lineColumns}
  FROM carts c
  LEFT JOIN cart_lines l ON l.cart_id = c.id
  LEFT JOIN catalog_variants v ON v.variant_id = l.variant_id
  LEFT JOIN catalog_shops s ON s.shop_id = v.shop_id
  LEFT JOIN stock_levels st ON st.shop_id = v.shop_id AND st.sku_key = lower(v.sku)
  WHERE ${filter}`;

/** A line row (of the cart read or the variant probe) as a line snapshot. */
function lineFromRow(r: Record<string, unknown>): LineSnapshot {
  return {
    variant: variantFromRow(r),
    shop: {
      shopId: String(r.shop_id),
      name: String(r.shop_name ?? ""),
      city: String(r.shop_city ?? ""),
      province: String(r.shop_province ?? ""),
    },
    quantity: Number(r.quantity ?? 0),
    priceWhenAdded: r.price_when_added === null ? Number(r.price) : Number(r.price_when_added),
    available: r.available === null ? null : Number(r.available),
    reorderPoint: Number(r.reorder_point ?? 0),
    addedAt: (r.added_at as Date | null) ?? null,
  };
}

/**
 * A whole cart (the hot read behind the cart page): one statement for the cart and its lines
 * with their projected variant, shop and stock as plain rows (cheaper to read than JSON), and a
 * second for the applied vouchers with their live usage only when the cart has any. Outside a
 * transaction, pass the pool to run the first as a prepared statement.
 */
export async function readSnapshot(
  db: Kysely<CartDatabase>,
  key: CartKey,
  now: Date,
  excludeCheckout = "",
  pool?: pg.Pool,
): Promise<CartSnapshot | null> {
  const query = sql<LineRow>`${cartRows(where(key))} ORDER BY l.added_at, l.variant_id`;
  const rows = await rowsOf(db, query, pool && { pool, name: statementName(key) });
  return snapshotOf(db, rows, now, excludeCheckout);
}

/** The snapshot of a cart read's rows (null for none: no such cart). */
async function snapshotOf(
  db: Kysely<CartDatabase>,
  rows: LineRow[],
  now: Date,
  excludeCheckout: string,
): Promise<CartSnapshot | null> {
  const first = rows[0];
  if (!first) return null;
  const lines = rows.filter((r) => r.variant_id !== null).map(lineFromRow);
  const vouchers = first.has_vouchers
    ? await readApplied(db, first.cart_id, first.owner_id, now, excludeCheckout)
    : [];
  return {
    cartId: first.cart_id,
    ownerId: first.owner_id,
    updatedAt: first.updated_at,
    version: Number(first.version),
    catalogVersion: Number(first.catalog_version),
    lines,
    vouchers,
  };
}

/**
 * A cart (null when `key` names none) and the facts of a variant as a line of it (null when the
 * variant is not projected), in one prepared statement: the cart's rows, then the variant's.
 */
export async function readLineContext(
  db: Kysely<CartDatabase>,
  pool: pg.Pool,
  key: CartKey | null,
  variantId: string,
  now: Date,
): Promise<{ cart: CartSnapshot | null; variant: LineSnapshot | null; catalogVersion: number }> {
  const query = sql<LineRow & { probe: boolean }>`
    SELECT * FROM (
      ${cartRows(key ? where(key) : sql`false`, sql`false AS probe,`)}
      UNION ALL
      SELECT true, NULL, NULL, NULL, NULL, ${catalogVersion}, NULL, ${lineColumns}
      FROM catalog_variants v
      LEFT JOIN cart_lines l ON false
      LEFT JOIN catalog_shops s ON s.shop_id = v.shop_id
      LEFT JOIN stock_levels st ON st.shop_id = v.shop_id AND st.sku_key = lower(v.sku)
      WHERE v.variant_id = ${variantId}
    ) r
    ORDER BY probe, added_at, variant_id`;
  const name = key
    ? `cart_line_context_${statementName(key).replace("cart_snapshot_", "")}`
    : "cart_line_context_new";
  const rows = await rowsOf(db, query, { pool, name });
  const catalog = Number(rows[0]?.catalog_version ?? 0);
  const probe = rows.at(-1)?.probe ? rows.pop() : undefined;
  const variant = probe ? lineFromRow(probe) : null;
  return { cart: await snapshotOf(db, rows, now, ""), variant, catalogVersion: catalog };
}

/** A cart's version and the catalog's, read together (null when `key` names no cart). */
export async function readVersions(
  db: Kysely<CartDatabase>,
  pool: pg.Pool,
  key: CartKey,
): Promise<{ cartId: string; version: number; catalogVersion: number } | null> {
  const query = sql<{ cart_id: string; version: number; catalog_version: number }>`
    SELECT c.id AS cart_id, c.version, ${catalogVersion} FROM carts c WHERE ${where(key)}`;
  const name = `cart_versions_${statementName(key).replace("cart_snapshot_", "")}`;
  const row = (await rowsOf(db, query, { pool, name }))[0];
  return row
    ? { cartId: row.cart_id, version: Number(row.version), catalogVersion: Number(row.catalog_version) }
    : null;
}

/** A cart's applied vouchers in the order applied, with live uses by all and by the cart's owner. */
async function readApplied(
  db: Kysely<CartDatabase>,
  cartId: string,
  ownerId: string | null,
  now: Date,
  excludeCheckout: string,
): Promise<CartSnapshot["vouchers"]> {
  const { rows } = await sql<Record<string, unknown> & { used: number; used_by_user: number }>`
    SELECT vo.*,
      (SELECT count(*) FROM voucher_uses u WHERE u.voucher_id = vo.id AND ${live(now, excludeCheckout)}) AS used,
      (SELECT count(*) FROM voucher_uses u
        WHERE u.voucher_id = vo.id AND u.user_id = ${ownerId ?? ""} AND ${live(now, excludeCheckout)}) AS used_by_user
    FROM cart_vouchers cv JOIN vouchers vo ON vo.id = cv.voucher_id
    WHERE cv.cart_id = ${cartId}
    ORDER BY cv.applied_at, vo.id`.execute(db);
  return rows.map((r) => ({
    voucher: voucherFromRow(r),
    usage: { used: Number(r.used), usedByUser: Number(r.used_by_user) },
  }));
}

/** Live uses of a voucher, by all and by one user (`excludeCheckout`'s own holds not counted). */
export async function readUsage(
  db: Kysely<CartDatabase>,
  voucherId: string,
  userId: string,
  now: Date,
  excludeCheckout: string,
): Promise<{ used: number; usedByUser: number }> {
  const { rows } = await sql<{ used: number; used_by_user: number }>`
    SELECT count(*) AS used, count(*) FILTER (WHERE u.user_id = ${userId}) AS used_by_user
    FROM voucher_uses u WHERE u.voucher_id = ${voucherId} AND ${live(now, excludeCheckout)}`.execute(db);
  return { used: Number(rows[0]?.used ?? 0), usedByUser: Number(rows[0]?.used_by_user ?? 0) };
}
