import { type Kysely, sql } from "kysely";
import type { ProductDoc } from "../application/model.ts";
import { indexTerms, normalizedPhrase } from "../domain/text.ts";
import { refresh } from "./pg-refresh.ts";
import type { SearchDatabase } from "./schema.ts";

/**
 * Stores product states, each unless a newer one is stored, with their variants, categories and
 * words; then recomputes their price and stock. Set-based: six statements for a whole reindex
 * page rather than about nine per product (the round trips were most of a first start's
 * rebuild). A single event is a batch of one, so the rules live only here.
 */
export async function upsertProducts(db: Kysely<SearchDatabase>, docs: readonly ProductDoc[]): Promise<void> {
  for (const run of independentRuns(docs)) await upsertRun(db, run);
}

/**
 * The docs in order, cut wherever a product or a variant comes again: one INSERT … ON CONFLICT
 * cannot touch a row twice, and a later state must meet the earlier one stored (newer state
 * wins) just as when the docs are applied one by one.
 */
function independentRuns(docs: readonly ProductDoc[]): ProductDoc[][] {
  const runs: ProductDoc[][] = [];
  let run: ProductDoc[] = [];
  let products = new Set<string>();
  let variants = new Set<string>();
  for (const doc of docs) {
    const ids = new Set(doc.variants.map((v) => v.variantId));
    if (products.has(doc.productId) || [...ids].some((id) => variants.has(id))) {
      runs.push(run);
      run = [];
      products = new Set();
      variants = new Set();
    }
    run.push(doc);
    products.add(doc.productId);
    for (const id of ids) variants.add(id);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The indexed texts of a doc: title (weight A), attributes, categories and shop (B), description (D). */
function indexTexts(doc: ProductDoc) {
  const title = indexTerms(doc.title).join(" ");
  const middle = indexTerms(
    [...doc.attributeValues, ...doc.categoryPath.map((c) => c.name), doc.shopName].join(" "),
  ).join(" ");
  const description = indexTerms(doc.description.slice(0, 5_000)).join(" ");
  // The vocabulary typos are corrected against: title and middle words of three letters or more.
  const vocabulary = [...title.split(" "), ...middle.split(" ")].filter((w) => w.length >= 3);
  return { title, middle, description, vocabulary };
}

async function upsertRun(db: Kysely<SearchDatabase>, docs: readonly ProductDoc[]): Promise<void> {
  const prepared = docs.map((doc) => ({ doc, text: indexTexts(doc) }));
  const rows = prepared.map(({ doc, text }) => ({
    product_id: doc.productId,
    shop_id: doc.shopId,
    shop_name: doc.shopName,
    shop_slug: doc.shopSlug,
    city: doc.city,
    city_key: doc.city.toLowerCase(),
    title: doc.title,
    title_norm: normalizedPhrase(doc.title),
    category_id: doc.categoryId,
    category_name: doc.categoryPath[doc.categoryPath.length - 1]?.name ?? "",
    category_path: doc.categoryPath.map((c) => c.id),
    image_url: doc.imageUrl,
    price: doc.variants.length > 0 ? Math.min(...doc.variants.map((v) => v.price)) : 0,
    rating_avg: doc.ratingAverage,
    rating_count: doc.ratingCount,
    catalog_sold: doc.soldCount,
    active: doc.status === "active",
    title_text: text.title,
    middle_text: text.middle,
    description_text: text.description,
    created_at: doc.createdAt,
    source_updated_at: doc.updatedAt,
  }));
  // The rows travel as one JSON parameter: a category path is an array per row, which unnest of
  // parallel arrays cannot carry.
  const stored = await sql<{ product_id: string }>`
    INSERT INTO search_products AS p (
      product_id, shop_id, shop_name, shop_slug, city, city_key, title, title_norm, category_id,
      category_name, category_path, image_url, price, rating_avg, rating_count, catalog_sold,
      active, document, created_at, source_updated_at)
    SELECT
      d.product_id, d.shop_id, d.shop_name, d.shop_slug, d.city, d.city_key, d.title, d.title_norm,
      d.category_id, d.category_name, d.category_path, d.image_url, d.price, d.rating_avg,
      d.rating_count, d.catalog_sold, d.active,
      setweight(to_tsvector('simple', d.title_text), 'A')
        || setweight(to_tsvector('simple', d.middle_text), 'B')
        || setweight(to_tsvector('simple', d.description_text), 'D'),
      d.created_at, d.source_updated_at
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS d(
      product_id text, shop_id text, shop_name text, shop_slug text, city text, city_key text,
      title text, title_norm text, category_id text, category_name text, category_path text[],
      image_url text, price bigint, rating_avg double precision, rating_count bigint,
      catalog_sold bigint, active boolean, title_text text, middle_text text, description_text text,
      created_at timestamptz, source_updated_at timestamptz)
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
  // Docs older than the state stored change nothing more.
  const applied = new Set(stored.rows.map((r) => r.product_id));
  const kept = prepared.filter(({ doc }) => applied.has(doc.productId));
  if (kept.length === 0) return;
  const productIds = kept.map(({ doc }) => doc.productId);

  // A variant listed twice in one doc: the last listing is the state (as two upserts in a row).
  const variants = kept.flatMap(({ doc }) =>
    [...new Map(doc.variants.map((v) => [v.variantId, v])).values()].map((v) => ({ doc, v })),
  );
  const variantIds = variants.map(({ v }) => v.variantId);
  const owners = variants.map(({ doc }) => doc.productId);
  // Every stale variant goes before any is written: a variant id that moved to another product
  // of the run ends with that product (one by one, it was lost when the new owner came first).
  await sql`
    DELETE FROM search_variants v
    WHERE v.product_id = ANY(${productIds}::text[])
      AND NOT EXISTS (
        SELECT 1 FROM unnest(${owners}::text[], ${variantIds}::text[]) AS k(product_id, variant_id)
        WHERE k.product_id = v.product_id AND k.variant_id = v.variant_id)`.execute(db);
  if (variants.length > 0) {
    await sql`
      INSERT INTO search_variants AS v (variant_id, product_id, shop_id, sku_key, price, price_at, stock_status)
      SELECT * FROM unnest(
        ${variantIds}::text[], ${owners}::text[], ${variants.map(({ doc }) => doc.shopId)}::text[],
        ${variants.map(({ v }) => v.sku.toLowerCase())}::text[], ${variants.map(({ v }) => v.price)}::int8[],
        ${variants.map(({ doc }) => doc.updatedAt.toISOString())}::timestamptz[],
        ${variants.map(({ v }) => v.stockStatus)}::text[])
      ON CONFLICT (variant_id) DO UPDATE SET
        sku_key = EXCLUDED.sku_key, stock_status = EXCLUDED.stock_status,
        price = CASE WHEN v.price_at <= EXCLUDED.price_at THEN EXCLUDED.price ELSE v.price END,
        price_at = GREATEST(v.price_at, EXCLUDED.price_at)`.execute(db);
  }

  // Breadcrumbs repeat across a page (and the one INSERT may touch a category once): the last
  // mention of a category is its state, as when each product is stored in turn.
  const categories = new Map<string, { name: string; parentId: string }>();
  for (const { doc } of kept) {
    for (const [i, c] of doc.categoryPath.entries()) {
      categories.set(c.id, { name: c.name, parentId: doc.categoryPath[i - 1]?.id ?? "" });
    }
  }
  if (categories.size > 0) {
    const cs = [...categories];
    await sql`
      INSERT INTO search_categories (category_id, name, name_norm, parent_id)
      SELECT * FROM unnest(${cs.map(([id]) => id)}::text[], ${cs.map(([, c]) => c.name)}::text[],
        ${cs.map(([, c]) => normalizedPhrase(c.name))}::text[], ${cs.map(([, c]) => c.parentId)}::text[])
      ON CONFLICT (category_id) DO UPDATE SET name = EXCLUDED.name, name_norm = EXCLUDED.name_norm,
        parent_id = EXCLUDED.parent_id
      WHERE (search_categories.name, search_categories.parent_id) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.parent_id)`.execute(
      db,
    );
  }

  const vocabulary = [...new Set(kept.flatMap(({ text }) => text.vocabulary))];
  if (vocabulary.length > 0) {
    await sql`INSERT INTO search_words (word) SELECT unnest(${vocabulary}::text[]) ON CONFLICT DO NOTHING`.execute(
      db,
    );
  }
  await refresh(db, productIds);
}
