import { sql, type Transaction } from "kysely";
import type { CatalogVariant } from "../application/model.ts";
import type { CatalogWrites } from "../application/ports.ts";
import type { CartDatabase } from "./schema.ts";

/** The catalog projection's writes inside a transaction. */
export function pgCatalogWrites(trx: Transaction<CartDatabase>): CatalogWrites {
  return {
    async saveVariants(all, now) {
      const same = await unchangedVariants(trx, all);
      const variants = all.filter((v) => !same.has(v.variantId));
      if (variants.length === 0) return;
      await trx
        .insertInto("catalog_variants")
        .values(
          variants.map((v) => ({ ...variantRow(v), options: JSON.stringify(v.options), synced_at: now })),
        )
        .onConflict((oc) =>
          oc.column("variant_id").doUpdateSet((eb) => ({
            product_id: eb.ref("excluded.product_id"),
            shop_id: eb.ref("excluded.shop_id"),
            sku: eb.ref("excluded.sku"),
            title: eb.ref("excluded.title"),
            options: eb.ref("excluded.options"),
            image_url: eb.ref("excluded.image_url"),
            price: eb.ref("excluded.price"),
            product_status: eb.ref("excluded.product_status"),
            active: eb.ref("excluded.active"),
            stock_badge: eb.ref("excluded.stock_badge"),
            weight_grams: eb.ref("excluded.weight_grams"),
            length_cm: eb.ref("excluded.length_cm"),
            width_cm: eb.ref("excluded.width_cm"),
            height_cm: eb.ref("excluded.height_cm"),
            min_order: eb.ref("excluded.min_order"),
            synced_at: eb.ref("excluded.synced_at"),
          })),
        )
        .execute();
    },
    async saveShop(shop, now) {
      await trx
        .insertInto("catalog_shops")
        .values({
          shop_id: shop.shopId,
          name: shop.name,
          city: shop.city,
          province: shop.province,
          synced_at: now,
        })
        .onConflict((oc) =>
          oc.column("shop_id").doUpdateSet((eb) => ({
            name: eb.ref("excluded.name"),
            city: eb.ref("excluded.city"),
            province: eb.ref("excluded.province"),
            synced_at: eb.ref("excluded.synced_at"),
          })),
        )
        .execute();
    },
    async hasShop(shopId) {
      const row = await trx
        .selectFrom("catalog_shops")
        .select("shop_id")
        .where("shop_id", "=", shopId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async knownVariantIds(productId) {
      const rows = await trx
        .selectFrom("catalog_variants")
        .select("variant_id")
        .where("product_id", "=", productId)
        .execute();
      return rows.map((r) => r.variant_id);
    },
    async setPrice(variantId, price, now) {
      await trx
        .updateTable("catalog_variants")
        .set({ price, synced_at: now })
        .where("variant_id", "=", variantId)
        .execute();
    },
    async setProductStatus(productId, status, now) {
      await trx
        .updateTable("catalog_variants")
        .set({ product_status: status, synced_at: now })
        .where("product_id", "=", productId)
        .execute();
    },
    async retireOthers(productId, activeIds, now) {
      let q = trx
        .updateTable("catalog_variants")
        .set({ active: false, synced_at: now })
        .where("product_id", "=", productId);
      if (activeIds.length > 0) q = q.where("variant_id", "not in", activeIds);
      await q.execute();
    },
    async recordAvailability(levels, observedAt) {
      if (levels.length === 0) return;
      const { rows } = await sql<{ shop_id: string; sku_key: string; available: string }>`
        SELECT shop_id, sku_key, available FROM stock_levels
         WHERE (shop_id, sku_key) IN (SELECT * FROM unnest(${levels.map((l) => l.shopId)}::text[],
                                                           ${levels.map((l) => l.sku.toLowerCase())}::text[]))`.execute(
        trx,
      );
      const stored = new Map(rows.map((r) => [`${r.shop_id}\n${r.sku_key}`, Number(r.available)]));
      for (const l of levels) {
        const sku = l.sku.toLowerCase();
        if (stored.get(`${l.shopId}\n${sku}`) === l.available) continue;
        await sql`INSERT INTO stock_levels (shop_id, sku_key, available, reorder_point, observed_at)
          VALUES (${l.shopId}, ${sku}, ${l.available}, 0, ${observedAt})
          ON CONFLICT (shop_id, sku_key) DO UPDATE
            SET available = excluded.available, observed_at = excluded.observed_at
            WHERE stock_levels.observed_at <= excluded.observed_at`.execute(trx);
      }
    },
    async recordStock(shopId, sku, available, reorderPoint, observedAt) {
      await sql`INSERT INTO stock_levels (shop_id, sku_key, available, reorder_point, observed_at)
        VALUES (${shopId}, ${sku.toLowerCase()}, ${available}, ${reorderPoint}, ${observedAt})
        ON CONFLICT (shop_id, sku_key) DO UPDATE
          SET available = excluded.available, reorder_point = excluded.reorder_point,
              observed_at = excluded.observed_at
          WHERE stock_levels.observed_at <= excluded.observed_at`.execute(trx);
    },
  };
}

/**
 * The ids of `variants` whose projected row already holds exactly these values. Every write
 * statement on the projection raises the catalog version (locking its single row until commit and
 * invalidating cached cart views), so a refresh that changes nothing must not write at all.
 */
async function unchangedVariants(
  trx: Transaction<CartDatabase>,
  variants: CatalogVariant[],
): Promise<Set<string>> {
  if (variants.length === 0) return new Set();
  const given = JSON.stringify(variants.map(variantRow));
  const { rows } = await sql<{ variant_id: string }>`
    SELECT c.variant_id
      FROM catalog_variants c
      JOIN jsonb_to_recordset(${given}::jsonb) AS x (
             variant_id text, product_id text, shop_id text, sku text, title text, options jsonb,
             image_url text, price bigint, product_status text, active boolean, stock_badge text,
             weight_grams integer, length_cm integer, width_cm integer, height_cm integer,
             min_order integer)
        ON x.variant_id = c.variant_id
     WHERE (c.product_id, c.shop_id, c.sku, c.title, c.options, c.image_url, c.price, c.product_status,
            c.active, c.stock_badge, c.weight_grams, c.length_cm, c.width_cm, c.height_cm, c.min_order)
           IS NOT DISTINCT FROM
           (x.product_id, x.shop_id, x.sku, x.title, x.options, x.image_url, x.price, x.product_status,
            x.active, x.stock_badge, x.weight_grams, x.length_cm, x.width_cm, x.height_cm, x.min_order)`.execute(
    trx,
  );
  return new Set(rows.map((r) => r.variant_id));
}

/** A variant as a `catalog_variants` row (options as an object; the insert serialises them). */
function variantRow(v: CatalogVariant) {
  return {
    variant_id: v.variantId,
    product_id: v.productId,
    shop_id: v.shopId,
    sku: v.sku,
    title: v.title,
    options: v.options,
    image_url: v.imageUrl,
    price: v.price,
    product_status: v.productStatus,
    active: v.active,
    stock_badge: v.stockBadge,
    weight_grams: v.weightGrams,
    length_cm: v.lengthCm,
    width_cm: v.widthCm,
    height_cm: v.heightCm,
    min_order: v.minOrder,
  };
}
