import { type Kysely, sql } from "kysely";
import type { CompletedOrder, ProductDoc } from "../application/model.ts";
import type { ProjectionWriter } from "../application/ports.ts";
import type { ReindexStore } from "../application/reindex.ts";
import { indexTerms, normalizedPhrase } from "../domain/text.ts";
import type { SearchDatabase } from "./schema.ts";

/** Recomputes price, stock and sales of the products given (after their inputs changed). */
async function refresh(db: Kysely<SearchDatabase>, productIds: readonly string[]): Promise<void> {
  if (productIds.length === 0) return;
  await sql`
    UPDATE search_products p SET
      price = COALESCE((SELECT min(v.price) FROM search_variants v WHERE v.product_id = p.product_id), p.price),
      -- In stock: a variant inventory reports available, or (before it reports) not marked out.
      in_stock = COALESCE((
        SELECT bool_or(CASE WHEN s.available IS NOT NULL THEN s.available > 0
                            ELSE v.stock_status <> 'out_of_stock' END)
        FROM search_variants v
        LEFT JOIN search_stock s ON s.shop_id = v.shop_id AND s.sku_key = v.sku_key
        WHERE v.product_id = p.product_id), false),
      orders_sold = COALESCE((SELECT units FROM search_sales x WHERE x.product_id = p.product_id), 0),
      indexed_at = now()
    WHERE p.product_id = ANY(${[...productIds]}::text[])`.execute(db);
}

/** The projection's writes over one transaction (a consumer's, or a reindex page's). */
export function pgProjection(db: Kysely<SearchDatabase>): ProjectionWriter {
  return {
    async upsertProduct(doc: ProductDoc) {
      const leaf = doc.categoryPath[doc.categoryPath.length - 1];
      const titleText = indexTerms(doc.title).join(" ");
      const middleText = indexTerms(
        [...doc.attributeValues, ...doc.categoryPath.map((c) => c.name), doc.shopName].join(" "),
      ).join(" ");
      const descriptionText = indexTerms(doc.description.slice(0, 5_000)).join(" ");
      const stored = await sql<{ product_id: string }>`
        INSERT INTO search_products AS p (
          product_id, shop_id, shop_name, shop_slug, city, city_key, title, title_norm, category_id,
          category_name, category_path, image_url, price, rating_avg, rating_count, catalog_sold,
          active, document, created_at, source_updated_at)
        VALUES (
          ${doc.productId}, ${doc.shopId}, ${doc.shopName}, ${doc.shopSlug}, ${doc.city},
          ${doc.city.toLowerCase()}, ${doc.title}, ${normalizedPhrase(doc.title)}, ${doc.categoryId},
          ${leaf?.name ?? ""}, ${doc.categoryPath.map((c) => c.id)}::text[], ${doc.imageUrl},
          ${doc.variants.length > 0 ? Math.min(...doc.variants.map((v) => v.price)) : 0},
          ${doc.ratingAverage}, ${doc.ratingCount}, ${doc.soldCount}, ${doc.status === "active"},
          setweight(to_tsvector('simple', ${titleText}), 'A')
            || setweight(to_tsvector('simple', ${middleText}), 'B')
            || setweight(to_tsvector('simple', ${descriptionText}), 'D'),
          ${doc.createdAt}, ${doc.updatedAt})
        ON CONFLICT (product_id) DO UPDATE SET
          shop_id = EXCLUDED.shop_id, shop_name = EXCLUDED.shop_name, shop_slug = EXCLUDED.shop_slug,
          city = EXCLUDED.city, city_key = EXCLUDED.city_key, title = EXCLUDED.title,
          title_norm = EXCLUDED.title_norm, category_id = EXCLUDED.category_id,
          category_name = EXCLUDED.category_name, category_path = EXCLUDED.category_path,
          image_url = EXCLUDED.image_url, price = EXCLUDED.price,
          rating_avg = CASE WHEN EXCLUDED.rating_count >= p.rating_count THEN EXCLUDED.rating_avg ELSE p.rating_avg END,
          rating_count = GREATEST(EXCLUDED.rating_count, p.rating_count),
          catalog_sold = GREATEST(EXCLUDED.catalog_sold, p.catalog_sold),
          active = EXCLUDED.active,
          document = EXCLUDED.document, created_at = EXCLUDED.created_at,
          source_updated_at = EXCLUDED.source_updated_at, indexed_at = now()
        WHERE p.source_updated_at <= EXCLUDED.source_updated_at
        RETURNING product_id`.execute(db);
      if (stored.rows.length === 0) return; // an older state than the one stored
      const ids = doc.variants.map((v) => v.variantId);
      await sql`DELETE FROM search_variants WHERE product_id = ${doc.productId} AND NOT (variant_id = ANY(${ids}::text[]))`.execute(
        db,
      );
      for (const v of doc.variants) {
        await sql`
          INSERT INTO search_variants AS v (variant_id, product_id, shop_id, sku_key, price, price_at, stock_status)
          VALUES (${v.variantId}, ${doc.productId}, ${doc.shopId}, ${v.sku.toLowerCase()}, ${v.price},
                  ${doc.updatedAt}, ${v.stockStatus})
          ON CONFLICT (variant_id) DO UPDATE SET
            sku_key = EXCLUDED.sku_key, stock_status = EXCLUDED.stock_status,
            price = CASE WHEN v.price_at <= EXCLUDED.price_at THEN EXCLUDED.price ELSE v.price END,
            price_at = GREATEST(v.price_at, EXCLUDED.price_at)`.execute(db);
      }
      for (const [i, c] of doc.categoryPath.entries()) {
        await sql`
          INSERT INTO search_categories (category_id, name, name_norm, parent_id)
          VALUES (${c.id}, ${c.name}, ${normalizedPhrase(c.name)}, ${doc.categoryPath[i - 1]?.id ?? ""})
          ON CONFLICT (category_id) DO UPDATE SET name = EXCLUDED.name, name_norm = EXCLUDED.name_norm,
            parent_id = EXCLUDED.parent_id
          WHERE (search_categories.name, search_categories.parent_id) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_id)`.execute(
          db,
        );
      }
      const vocabulary = [
        ...new Set([...titleText.split(" "), ...middleText.split(" ")].filter((w) => w.length >= 3)),
      ];
      if (vocabulary.length > 0) {
        await sql`INSERT INTO search_words (word) SELECT unnest(${vocabulary}::text[]) ON CONFLICT DO NOTHING`.execute(
          db,
        );
      }
      await refresh(db, [doc.productId]);
    },

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
