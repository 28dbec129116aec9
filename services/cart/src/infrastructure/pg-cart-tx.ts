import { DomainError, scheduleTimer } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { CartTx, UnitOfWork } from "../application/ports.ts";
import { pgCatalogWrites } from "./pg-catalog-writes.ts";
import { readSnapshot, readUsage } from "./pg-snapshot.ts";
import { variantFromRow, voucherFromRow, voucherRow } from "./rows.ts";
import type { CartDatabase } from "./schema.ts";

type Trx = Transaction<CartDatabase>;

/** The kit timer kind of the idle-cart and voucher-hold prune. */
export const PRUNE_TIMER = { kind: "cart.prune", key: "all" } as const;

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === "23505" && e.constraint === constraint;
}

/** Raises (and locks) the owner's cart's version: its lines or vouchers are about to change. */
async function bumpOwnerCart(trx: Trx, ownerId: string): Promise<void> {
  await sql`UPDATE carts SET version = version + 1 WHERE owner_id = ${ownerId}`.execute(trx);
}

/** The write side of one transaction. */
export function cartTx(trx: Trx): CartTx {
  return {
    carts: {
      async openForOwner(ownerId, newId, now) {
        // One statement creates, touches and locks the owner's cart: writes to a cart serialize on it.
        const row = await trx
          .insertInto("carts")
          .values({ id: newId, owner_id: ownerId, token_hash: null, created_at: now, updated_at: now })
          .onConflict((oc) =>
            oc.column("owner_id").doUpdateSet({ updated_at: now, version: sql<number>`carts.version + 1` }),
          )
          .returning("id")
          .executeTakeFirstOrThrow();
        return row.id;
      },
      async openByToken(tokenHash, now) {
        const row = await trx
          .updateTable("carts")
          .set({ updated_at: now, version: sql<number>`version + 1` })
          .where("token_hash", "=", tokenHash)
          .returning("id")
          .executeTakeFirst();
        return row?.id ?? null;
      },
      async createGuest(id, tokenHash, now) {
        await trx
          .insertInto("carts")
          .values({ id, owner_id: null, token_hash: tokenHash, created_at: now, updated_at: now })
          .execute();
      },
      async delete(cartId) {
        await trx.deleteFrom("carts").where("id", "=", cartId).execute();
      },
      async pruneIdle(userBefore, guestBefore) {
        const res = await trx
          .deleteFrom("carts")
          .where((eb) =>
            eb.or([
              eb.and([eb("owner_id", "is not", null), eb("updated_at", "<", userBefore)]),
              eb.and([eb("token_hash", "is not", null), eb("updated_at", "<", guestBefore)]),
            ]),
          )
          .executeTakeFirst();
        return Number(res.numDeletedRows);
      },
    },
    lines: {
      async withVariant(cartId, variantId) {
        const { rows } = await sql<Record<string, unknown>>`
          SELECT v.*, COALESCE(s.name, '') AS shop_name, COALESCE(s.city, '') AS shop_city,
            COALESCE(s.province, '') AS shop_province, st.available, COALESCE(st.reorder_point, 0) AS reorder_point,
            COALESCE(l.quantity, 0) AS quantity, COALESCE(l.price_when_added, v.price) AS price_when_added,
            l.added_at
          FROM catalog_variants v
          LEFT JOIN catalog_shops s ON s.shop_id = v.shop_id
          LEFT JOIN stock_levels st ON st.shop_id = v.shop_id AND st.sku_key = lower(v.sku)
          LEFT JOIN cart_lines l ON l.cart_id = ${cartId} AND l.variant_id = v.variant_id
          WHERE v.variant_id = ${variantId}`.execute(trx);
        const r = rows[0];
        if (!r) return null;
        return {
          variant: variantFromRow(r),
          shop: {
            shopId: String(r.shop_id),
            name: String(r.shop_name),
            city: String(r.shop_city),
            province: String(r.shop_province),
          },
          quantity: Number(r.quantity),
          priceWhenAdded: Number(r.price_when_added),
          available: r.available === null ? null : Number(r.available),
          reorderPoint: Number(r.reorder_point),
          addedAt: (r.added_at as Date | null) ?? null,
        };
      },
      async count(cartId) {
        const row = await trx
          .selectFrom("cart_lines")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("cart_id", "=", cartId)
          .executeTakeFirstOrThrow();
        return Number(row.n);
      },
      async put(cartId, variantId, quantity, priceWhenAdded, now) {
        await trx
          .insertInto("cart_lines")
          .values({
            cart_id: cartId,
            variant_id: variantId,
            quantity,
            price_when_added: priceWhenAdded,
            added_at: now,
          })
          .onConflict((oc) =>
            oc.columns(["cart_id", "variant_id"]).doUpdateSet({ quantity, price_when_added: priceWhenAdded }),
          )
          .execute();
      },
      async remove(cartId, variantId) {
        const res = await trx
          .deleteFrom("cart_lines")
          .where("cart_id", "=", cartId)
          .where("variant_id", "=", variantId)
          .executeTakeFirst();
        return res.numDeletedRows > 0n;
      },
      async subtractBought(ownerId, bought) {
        await bumpOwnerCart(trx, ownerId);
        for (const b of bought) {
          const where = sql`cart_id = (SELECT id FROM carts WHERE owner_id = ${ownerId}) AND variant_id = ${b.variantId}`;
          await sql`DELETE FROM cart_lines WHERE ${where} AND quantity <= ${b.quantity}`.execute(trx);
          await sql`UPDATE cart_lines SET quantity = quantity - ${b.quantity} WHERE ${where}`.execute(trx);
        }
      },
    },
    snapshot: (key, now, excludeCheckout) => readSnapshot(trx, key, now, excludeCheckout),
    catalog: pgCatalogWrites(trx),
    vouchers: {
      async insert(voucher, createdBy) {
        try {
          await trx.insertInto("vouchers").values(voucherRow(voucher, createdBy)).execute();
        } catch (error) {
          if (isUniqueViolation(error, "vouchers_code_key")) {
            throw new DomainError("conflict", "VOUCHER_CODE_TAKEN", "a voucher with this code exists", [
              { field: "code", message: "is taken" },
            ]);
          }
          throw error;
        }
      },
      async byCode(code) {
        const row = await trx.selectFrom("vouchers").selectAll().where("code", "=", code).executeTakeFirst();
        return row ? voucherFromRow(row) : null;
      },
      async lock(ids) {
        if (ids.length === 0) return;
        await sql`SELECT id FROM vouchers WHERE id = ANY(${[...ids].sort()}::text[]) ORDER BY id FOR UPDATE`.execute(
          trx,
        );
      },
      usage: (voucherId, userId, now, excludeCheckout) =>
        readUsage(trx, voucherId, userId, now, excludeCheckout),
      async apply(cartId, voucherId, now) {
        await trx
          .insertInto("cart_vouchers")
          .values({ cart_id: cartId, voucher_id: voucherId, applied_at: now })
          .onConflict((oc) => oc.doNothing())
          .execute();
      },
      async unapply(cartId, voucherId) {
        const res = await trx
          .deleteFrom("cart_vouchers")
          .where("cart_id", "=", cartId)
          .where("voucher_id", "=", voucherId)
          .executeTakeFirst();
        return res.numDeletedRows > 0n;
      },
      async unapplyForOwner(ownerId, voucherIds) {
        await bumpOwnerCart(trx, ownerId);
        await sql`DELETE FROM cart_vouchers WHERE voucher_id = ANY(${voucherIds}::text[])
          AND cart_id = (SELECT id FROM carts WHERE owner_id = ${ownerId})`.execute(trx);
      },
      async usesOf(checkoutId) {
        const rows = await trx
          .selectFrom("voucher_uses as u")
          .innerJoin("vouchers as v", "v.id", "u.voucher_id")
          .select(["u.voucher_id", "v.code", "u.status"])
          .where("u.checkout_id", "=", checkoutId)
          .execute();
        return rows.map((r) => ({ voucherId: r.voucher_id, code: r.code, status: r.status }));
      },
      async hold(use) {
        await trx
          .insertInto("voucher_uses")
          .values({
            voucher_id: use.voucherId,
            checkout_id: use.checkoutId,
            user_id: use.userId,
            status: "held",
            open_shops: use.shopIds,
            expires_at: use.expiresAt,
            created_at: use.now,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      },
      async redeem(checkoutId, userId, shopId, voucherIds, now) {
        // A hold pruned before the payment landed is recorded anyway: the order was paid with it.
        await sql`INSERT INTO voucher_uses (voucher_id, checkout_id, user_id, status, open_shops, expires_at, created_at)
          SELECT id, ${checkoutId}, ${userId}, 'redeemed', ARRAY[${shopId}]::text[], ${now}, ${now}
          FROM unnest(${voucherIds}::text[]) AS id
          ON CONFLICT (voucher_id, checkout_id) DO UPDATE SET status = 'redeemed',
            open_shops = CASE WHEN ${shopId} = ANY(voucher_uses.open_shops) THEN voucher_uses.open_shops
              ELSE voucher_uses.open_shops || ${shopId}::text END`.execute(trx);
      },
      async release(checkoutId, shopId, voucherIds) {
        await sql`UPDATE voucher_uses SET open_shops = array_remove(open_shops, ${shopId})
          WHERE checkout_id = ${checkoutId} AND voucher_id = ANY(${voucherIds}::text[])`.execute(trx);
        await sql`DELETE FROM voucher_uses WHERE checkout_id = ${checkoutId}
          AND voucher_id = ANY(${voucherIds}::text[]) AND cardinality(open_shops) = 0`.execute(trx);
      },
      async pruneHolds(now) {
        const res = await trx
          .deleteFrom("voucher_uses")
          .where("status", "=", "held")
          .where("expires_at", "<=", now)
          .executeTakeFirst();
        return Number(res.numDeletedRows);
      },
    },
    timers: {
      prune: (at) => scheduleTimer(trx, { kind: PRUNE_TIMER.kind, key: PRUNE_TIMER.key, at }),
    },
  };
}

/** A unit of work over the cart database. */
export function pgUnitOfWork(db: Kysely<CartDatabase>): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(cartTx(trx))) };
}
