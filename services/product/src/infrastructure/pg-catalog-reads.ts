import { type Kysely, type Selectable, sql } from "kysely";
import type pg from "pg";
import { CategoryIndex } from "../application/category-index.ts";
import type {
  Page,
  PriceHistoryEntry,
  ReviewRecord,
  ScheduleRecord,
  ShopRecord,
} from "../application/model.ts";
import type { CatalogReads } from "../application/ports.ts";
import type { ProductStatus } from "../domain/product.ts";
import {
  type ProductRow,
  productFromRow,
  productSelect,
  selectProducts,
  shopFromRow,
} from "./product-rows.ts";
import type { ProductDatabase } from "./schema.ts";

/** Loads the category tree once (it only changes by migration). */
export async function loadCategoryIndex(db: Kysely<ProductDatabase>): Promise<CategoryIndex> {
  const rows = await db.selectFrom("categories").selectAll().orderBy("position").orderBy("id").execute();
  return CategoryIndex.fromRows(
    rows.map((r) => ({
      id: String(r.id),
      parentId: r.parent_id === null ? null : String(r.parent_id),
      slug: r.slug,
      name: r.name,
    })),
  );
}

export function scheduleFromRow(r: Selectable<ProductDatabase["price_schedules"]>): ScheduleRecord {
  return {
    id: r.id,
    productId: r.product_id,
    variantId: r.variant_id,
    price: r.price,
    percentOff: r.percent_off,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdAt: r.created_at,
  };
}

export function reviewFromRow(r: Selectable<ProductDatabase["reviews"]>): ReviewRecord {
  return {
    id: r.id,
    productId: r.product_id,
    shopId: r.shop_id,
    buyerId: r.buyer_id,
    orderId: r.order_id,
    lineId: r.line_id,
    rating: r.rating,
    text: r.text,
    variantLabel: r.variant_label,
    createdAt: r.created_at,
  };
}

/** The read side over PostgreSQL. */
export function pgCatalogReads(db: Kysely<ProductDatabase>, pool: pg.Pool): CatalogReads {
  // The product page is the hot path: a named prepared statement skips re-planning the
  // JSON-aggregating query (planning costs more than executing it).
  const byId = sql<ProductRow>`${productSelect(new Date(0), true)} WHERE p.id = ${""}`.compile(db);
  const byIds = sql<ProductRow>`${productSelect(new Date(0), true)} WHERE p.id = ANY(${[]}::uuid[])`.compile(
    db,
  );
  const shop = async (column: "slug" | "id" | "owner_id", value: string): Promise<ShopRecord | null> => {
    const row = await db.selectFrom("shops").selectAll().where(column, "=", value).executeTakeFirst();
    return row ? shopFromRow(row) : null;
  };
  return {
    shopBySlug: (slug) => shop("slug", slug),
    shopById: (id) => shop("id", id),
    shopByOwner: (ownerId) => shop("owner_id", ownerId),
    async activeProductCount(shopId) {
      const row = await db
        .selectFrom("products")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("shop_id", "=", shopId)
        .where("status", "=", "active")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async product(id, at) {
      const { rows } = await pool.query<ProductRow>({
        name: "product_by_id",
        text: byId.sql,
        values: byId.parameters.map((p) => (p instanceof Date ? at : id)),
      });
      return rows[0] ? productFromRow(rows[0]) : null;
    },
    async products(ids, at) {
      const { rows } = await pool.query<ProductRow>({
        name: "products_by_ids",
        text: byIds.sql,
        values: byIds.parameters.map((p) => (p instanceof Date ? at : ids)),
      });
      return rows.map(productFromRow);
    },
    listProducts(f) {
      const where = [sql`p.status = ANY(${f.statuses})`];
      if (f.shopId) where.push(sql`p.shop_id = ${f.shopId}`);
      if (f.categoryIds) where.push(sql`p.category_id = ANY(${f.categoryIds.map(Number)})`);
      if (f.after) where.push(sql`p.id < ${f.after}`);
      return selectProducts(
        db,
        f.at,
        sql`WHERE ${sql.join(where, sql` AND `)} ORDER BY p.id DESC LIMIT ${f.limit}`,
      );
    },
    async variants(ids, at) {
      const rows = await db
        .selectFrom("variants")
        .select(["id", "product_id"])
        .where("id", "in", ids)
        .execute();
      const productIds = [...new Set(rows.map((r) => r.product_id))];
      if (productIds.length === 0) return [];
      const products = await selectProducts(db, at, sql`WHERE p.id = ANY(${productIds})`, false);
      const out = [];
      for (const id of ids) {
        for (const product of products) {
          const variant = product.variants.find((v) => v.id === id);
          if (variant) out.push({ variant, product });
        }
      }
      return out;
    },
    async variantsBySku(shopId, lowerSkus) {
      if (lowerSkus.length === 0) return [];
      // Served by the unique index variants_shop_sku (shop_id, lower(sku)).
      const rows = await db
        .selectFrom("variants as v")
        .innerJoin("products as p", "p.id", "v.product_id")
        .select(["v.sku", "v.id", "v.product_id", "p.status", "v.active"])
        .where("v.shop_id", "=", shopId)
        .where(sql<string>`lower(v.sku)`, "in", lowerSkus)
        .execute();
      return rows.map((r) => ({
        sku: r.sku,
        variantId: r.id,
        productId: r.product_id,
        productStatus: r.status as ProductStatus,
        active: r.active,
      }));
    },
    async schedulesOfProduct(productId) {
      const rows = await db
        .selectFrom("price_schedules")
        .selectAll()
        .where("product_id", "=", productId)
        .orderBy("id", "desc")
        .execute();
      return rows.map(scheduleFromRow);
    },
    async priceHistory(productId, sku, after, limit): Promise<Page<PriceHistoryEntry>> {
      let q = db
        .selectFrom("price_history as h")
        .innerJoin("variants as v", "v.id", "h.variant_id")
        .select([
          "h.id",
          "h.variant_id",
          "v.sku",
          "h.price",
          "h.previous_price",
          "h.reason",
          "h.schedule_id",
          "h.changed_at",
        ])
        .where("h.product_id", "=", productId)
        .orderBy("h.id", "desc")
        .limit(limit + 1);
      if (sku) q = q.where(sql<boolean>`lower(v.sku) = lower(${sku})`);
      if (after) q = q.where("h.id", "<", Number(after));
      const rows = await q.execute();
      const items = rows.slice(0, limit).map((r) => ({
        variantId: r.variant_id,
        sku: r.sku,
        price: r.price,
        previousPrice: r.previous_price,
        reason: r.reason,
        scheduleId: r.schedule_id,
        changedAt: r.changed_at,
        cursor: String(r.id),
      }));
      return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.cursor ?? null) : null };
    },
    async reviews(productId, after, limit) {
      let q = db
        .selectFrom("reviews")
        .selectAll()
        .where("product_id", "=", productId)
        .orderBy("id", "desc")
        .limit(limit);
      if (after) q = q.where("id", "<", after);
      return (await q.execute()).map(reviewFromRow);
    },
  };
}
