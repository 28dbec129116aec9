import type pg from "pg";
import type { DemoProduct, DemoShop } from "./generator.ts";
import { generateDemo } from "./generator.ts";

const BATCH = 2_000;

/**
 * Loads a generated marketplace with array-parameter INSERT … SELECT unnest(…) in batches:
 * one round trip per 2,000 products, so 100,000 products take seconds, not minutes.
 * Runs in one transaction: a failed load leaves nothing behind.
 */
export async function loadDemo(
  pool: pg.Pool,
  options: { seed: number; shopCount: number; productCount: number },
): Promise<{ shops: number; products: number; variants: number }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number; slug: string }>("SELECT id, slug FROM categories");
    const categoryId = new Map(rows.map((r) => [r.slug, r.id]));
    const shops: DemoShop[] = [];
    let products: DemoProduct[] = [];
    let counts = { shops: 0, products: 0, variants: 0 };
    const flush = async () => {
      if (products.length === 0) return;
      counts.variants += await insertProducts(client, products, categoryId);
      counts.products += products.length;
      products = [];
    };
    for (const item of generateDemo(options)) {
      if (item.kind === "shop") shops.push(item.shop);
      else {
        if (shops.length > 0) {
          await insertShops(client, shops.splice(0));
        }
        products.push(item.product);
        if (products.length >= BATCH) await flush();
      }
      if (item.kind === "shop") counts = { ...counts, shops: counts.shops + 1 };
    }
    if (shops.length > 0) await insertShops(client, shops);
    await flush();
    await client.query("COMMIT");
    return counts;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function insertShops(client: pg.PoolClient, shops: DemoShop[]): Promise<void> {
  const col = <K extends keyof DemoShop>(k: K) => shops.map((s) => s[k]);
  await client.query(
    `INSERT INTO shops (id, owner_id, slug, name, city, province, description, seller_role_granted)
     SELECT *, true FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [col("id"), col("ownerId"), col("slug"), col("name"), col("city"), col("province"), col("description")],
  );
}

async function insertProducts(
  client: pg.PoolClient,
  products: DemoProduct[],
  categoryId: Map<string, number>,
): Promise<number> {
  const col = <T>(f: (p: DemoProduct) => T) => products.map(f);
  await client.query(
    `INSERT INTO products (id, shop_id, category_id, title, description, condition, weight_grams, length_cm, width_cm,
       height_cm, min_order, images, attributes, status)
     SELECT id, shop_id, category_id, title, description, condition, weight_grams, length_cm, width_cm, height_cm,
       min_order, ARRAY[image], attributes::jsonb, 'active'
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[],
       $10::int[], $11::int[], $12::text[], $13::text[])
       AS t (id, shop_id, category_id, title, description, condition, weight_grams, length_cm, width_cm, height_cm,
       min_order, image, attributes)`,
    [
      col((p) => p.id),
      col((p) => p.shopId),
      col((p) => {
        const id = categoryId.get(p.categorySlug);
        if (id === undefined) throw new Error(`demo template uses unknown category ${p.categorySlug}`);
        return id;
      }),
      col((p) => p.title),
      col((p) => p.description),
      col((p) => p.condition),
      col((p) => p.weightGrams),
      col((p) => p.lengthCm),
      col((p) => p.widthCm),
      col((p) => p.heightCm),
      col((p) => p.minOrder),
      col((p) => p.images[0] ?? ""),
      col((p) => JSON.stringify(p.attributes)),
    ],
  );
  const variants = products.flatMap((p) =>
    p.variants.map((v) => ({ ...v, productId: p.id, shopId: p.shopId })),
  );
  await client.query(
    `INSERT INTO variants (id, product_id, shop_id, sku, options, base_price, current_price, position)
     SELECT id, product_id, shop_id, sku, options::jsonb, price, price, position
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::int[])
       AS t (id, product_id, shop_id, sku, options, price, position)`,
    [
      variants.map((v) => v.id),
      variants.map((v) => v.productId),
      variants.map((v) => v.shopId),
      variants.map((v) => v.sku),
      variants.map((v) => JSON.stringify(v.options)),
      variants.map((v) => v.price),
      variants.map((v) => v.position),
    ],
  );
  return variants.length;
}
