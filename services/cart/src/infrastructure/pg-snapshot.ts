import { type Kysely, sql } from "kysely";
import type { CartSnapshot, LineSnapshot } from "../application/model.ts";
import type { CartKey } from "../application/ports.ts";
import { variantFromRow, voucherFromRow } from "./rows.ts";
import type { CartDatabase } from "./schema.ts";

interface SnapshotRow {
  id: string;
  owner_id: string | null;
  updated_at: Date;
  lines: Record<string, unknown>[];
  vouchers: Record<string, unknown>[];
}

function where(key: CartKey) {
  if ("ownerId" in key) return sql`c.owner_id = ${key.ownerId}`;
  if ("tokenHash" in key) return sql`c.token_hash = ${key.tokenHash}`;
  return sql`c.id = ${key.cartId}`;
}

// A voucher use is live while redeemed, or held and not yet expired.
const live = (now: Date, excludeCheckout: string) =>
  sql`(u.status = 'redeemed' OR u.expires_at > ${now}) AND u.checkout_id <> ${excludeCheckout}`;

/**
 * A whole cart in one statement (the hot read behind the cart page): lines with their projected
 * variant, shop and stock as JSON, applied vouchers with their live usage counts.
 */
export async function readSnapshot(
  db: Kysely<CartDatabase>,
  key: CartKey,
  now: Date,
  excludeCheckout = "",
): Promise<CartSnapshot | null> {
  const { rows } = await sql<SnapshotRow>`
    SELECT c.id, c.owner_id, c.updated_at,
      COALESCE((SELECT json_agg(json_build_object(
          'variant', to_jsonb(v) - 'synced_at',
          'shop', json_build_object('shop_id', v.shop_id, 'name', COALESCE(s.name, ''),
            'city', COALESCE(s.city, ''), 'province', COALESCE(s.province, '')),
          'quantity', l.quantity, 'price_when_added', l.price_when_added,
          'available', st.available, 'reorder_point', COALESCE(st.reorder_point, 0))
          ORDER BY l.added_at, l.variant_id)
        FROM cart_lines l
        JOIN catalog_variants v ON v.variant_id = l.variant_id
        LEFT JOIN catalog_shops s ON s.shop_id = v.shop_id
        LEFT JOIN stock_levels st ON st.shop_id = v.shop_id AND st.sku_key = lower(v.sku)
        WHERE l.cart_id = c.id), '[]') AS lines,
      COALESCE((SELECT json_agg(json_build_object(
          'voucher', to_jsonb(vo),
          'used', (SELECT count(*) FROM voucher_uses u WHERE u.voucher_id = vo.id AND ${live(now, excludeCheckout)}),
          'used_by_user', (SELECT count(*) FROM voucher_uses u
            WHERE u.voucher_id = vo.id AND u.user_id = c.owner_id AND ${live(now, excludeCheckout)}))
          ORDER BY cv.applied_at, vo.id)
        FROM cart_vouchers cv JOIN vouchers vo ON vo.id = cv.voucher_id
        WHERE cv.cart_id = c.id), '[]') AS vouchers
    FROM carts c WHERE ${where(key)}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    cartId: row.id,
    ownerId: row.owner_id,
    updatedAt: row.updated_at,
    lines: row.lines.map(
      (l): LineSnapshot => ({
        variant: variantFromRow(l.variant as Record<string, unknown>),
        shop: (({ shop_id, name, city, province }) => ({ shopId: shop_id, name, city, province }))(
          l.shop as { shop_id: string; name: string; city: string; province: string },
        ),
        quantity: Number(l.quantity),
        priceWhenAdded: Number(l.price_when_added),
        available: l.available === null ? null : Number(l.available),
        reorderPoint: Number(l.reorder_point),
      }),
    ),
    vouchers: row.vouchers.map((v) => ({
      voucher: voucherFromRow(v.voucher as Record<string, unknown>),
      usage: { used: Number(v.used), usedByUser: Number(v.used_by_user) },
    })),
  };
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
