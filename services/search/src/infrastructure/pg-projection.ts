import { type Kysely, sql } from "kysely";
import type { CompletedOrder } from "../application/model.ts";
import type { ProjectionWriter } from "../application/ports.ts";
import type { ReindexStore } from "../application/reindex.ts";
import { upsertProducts } from "./pg-product-upsert.ts";
import { refresh } from "./pg-refresh.ts";
import type { SearchDatabase } from "./schema.ts";

/** The projection's writes over one transaction (a consumer's, or a reindex page's). */
export function pgProjection(db: Kysely<SearchDatabase>): ProjectionWriter {
  return {
    upsertProduct: (doc) => upsertProducts(db, [doc]),
    upsertProducts: (docs) => upsertProducts(db, docs),

    async archive(productId, at) {
      await sql`
        UPDATE search_products SET active = false, source_updated_at = GREATEST(source_updated_at, ${at}),
          indexed_at = now()
        WHERE product_id = ${productId}`.execute(db);
    },

    async setVariantPrice(variantId, price, at) {
      const { rows } = await sql<{ product_id: string }>`
        UPDATE search_variants SET price = ${price}, price_at = ${at}
        WHERE variant_id = ${variantId} AND price_at <= ${at}
        RETURNING product_id`.execute(db);
      await refresh(
        db,
        rows.map((r) => r.product_id),
      );
    },

    async setRating(productId, average, count) {
      await sql`
        UPDATE search_products SET rating_avg = ${average}, rating_count = ${count}, indexed_at = now()
        WHERE product_id = ${productId} AND rating_count <= ${count}`.execute(db);
    },

    async recordStock(shopId, sku, available, at) {
      const key = sku.toLowerCase();
      const { rows } = await sql`
        INSERT INTO search_stock AS s (shop_id, sku_key, available, observed_at)
        VALUES (${shopId}, ${key}, ${available}, ${at})
        ON CONFLICT (shop_id, sku_key) DO UPDATE SET available = EXCLUDED.available, observed_at = EXCLUDED.observed_at
        WHERE s.observed_at <= EXCLUDED.observed_at
        RETURNING 1`.execute(db);
      if (rows.length === 0) return;
      const products = await sql<{ product_id: string }>`
        SELECT DISTINCT product_id FROM search_variants WHERE shop_id = ${shopId} AND sku_key = ${key}`.execute(
        db,
      );
      await refresh(
        db,
        products.rows.map((r) => r.product_id),
      );
    },

    async recordCompletedOrder(order: CompletedOrder) {
      const units = new Map<string, number>();
      for (const l of order.lines) units.set(l.productId, (units.get(l.productId) ?? 0) + l.quantity);
      const ids = [...units.keys()];
      if (ids.length === 0) return;
      const qty = ids.map((id) => units.get(id) ?? 0);
      await sql`
        INSERT INTO search_sales AS s (product_id, units)
        SELECT * FROM unnest(${ids}::text[], ${qty}::int8[])
        ON CONFLICT (product_id) DO UPDATE SET units = s.units + EXCLUDED.units`.execute(db);
      await sql`
        INSERT INTO search_purchases AS p (buyer_id, product_id, quantity, last_at)
        SELECT ${order.buyerId}, id, q, ${order.completedAt}::timestamptz FROM unnest(${ids}::text[], ${qty}::int8[]) AS t(id, q)
        ON CONFLICT (buyer_id, product_id) DO UPDATE SET quantity = p.quantity + EXCLUDED.quantity,
          last_at = GREATEST(p.last_at, EXCLUDED.last_at)`.execute(db);
      // Bought together: pairs within this order, and with the checkout's orders completed before.
      const earlier = await sql<{ product_id: string }>`
        SELECT product_id FROM search_checkout_products WHERE checkout_id = ${order.checkoutId}`.execute(db);
      const before = new Set(earlier.rows.map((r) => r.product_id));
      const fresh = ids.filter((id) => !before.has(id));
      const a: string[] = [];
      const b: string[] = [];
      const pair = (x: string, y: string) => {
        a.push(x, y);
        b.push(y, x);
      };
      for (const [i, x] of fresh.entries()) {
        for (const y of before) pair(x, y);
        for (const y of fresh.slice(i + 1)) pair(x, y);
      }
      if (a.length > 0) {
        await sql`
          INSERT INTO search_pairs AS p (product_id, other_id, checkouts)
          SELECT x, y, 1 FROM unnest(${a}::text[], ${b}::text[]) AS t(x, y)
          ON CONFLICT (product_id, other_id) DO UPDATE SET checkouts = p.checkouts + 1`.execute(db);
      }
      if (fresh.length > 0) {
        await sql`
          INSERT INTO search_checkout_products (checkout_id, product_id, completed_at)
          SELECT ${order.checkoutId}, unnest(${fresh}::text[]), ${order.completedAt}::timestamptz
          ON CONFLICT DO NOTHING`.execute(db);
      }
      await refresh(db, ids);
    },
  };
}

/** The reindex's bookkeeping. */
export function pgReindexStore(db: Kysely<SearchDatabase>): ReindexStore {
  return {
    async now() {
      const { rows } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
      return rows[0]?.now ?? new Date();
    },
    async sweep(seen, startedAt) {
      const result = await sql`
        UPDATE search_products SET active = false
        WHERE active AND indexed_at < ${startedAt} AND NOT (product_id = ANY(${[...seen]}::text[]))`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

/**
 * After a rebuild: rewrites the table in its physical order (by category, see migration 0002),
 * which also rebuilds its indexes, so the GIN pending lists that a bulk write leaves (scanned
 * linearly by every search until merged) are gone; then refreshes the planner's statistics.
 * CLUSTER holds an exclusive lock while it runs: searches and event handlers wait for it
 * (about 2 s for 100,000 products), which is why only the reindex command does it.
 */
export async function layOutProjection(db: Kysely<SearchDatabase>): Promise<void> {
  // One session without the pool's statement timeout, which is for request work: both rewrite
  // or scan the whole table.
  await db.connection().execute(async (session) => {
    await sql`SET statement_timeout = 0`.execute(session);
    try {
      await sql`CLUSTER search_products`.execute(session);
      await sql`VACUUM (ANALYZE) search_products`.execute(session);
    } finally {
      await sql`RESET statement_timeout`.execute(session);
    }
  });
}
