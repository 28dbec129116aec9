import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createDb, transaction } from "@toko/kit";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import type { ProductDoc } from "../src/application/model.ts";
import type { ProjectionWriter } from "../src/application/ports.ts";
import { pgProjection } from "../src/infrastructure/pg-projection.ts";
import type { SearchDatabase } from "../src/infrastructure/schema.ts";
import { migrationsDir } from "../src/start.ts";
import { at, BAGS, doc, FASHION, variant } from "./fixtures.ts";

// A reindex stores a ListProducts page with one set-based write; events store one product at a
// time. Both must leave the same projection, whatever was stored before.

/** What both databases hold before the page: products, a newer price, stock and sales. */
async function storeBefore(w: ProjectionWriter): Promise<void> {
  await w.upsertProduct(
    doc("p1", { variants: [variant("p1-a", 250_000), variant("p1-b", 240_000), variant("p1-c", 150_000)] }),
  );
  await w.upsertProduct(doc("p2", { title: "Kaos Polos Hitam", updatedAt: at(10) }));
  await w.upsertProduct(doc("p3", { ratingAverage: 4.8, ratingCount: 200, soldCount: 900 }));
  await w.setVariantPrice("p1-a", 199_000, at(20));
  await w.recordStock("shop-1", "SKU-P1-B", 0, at(2));
  await w.recordCompletedOrder({
    checkoutId: "k1",
    buyerId: "u1",
    completedAt: at(3),
    lines: [
      { productId: "p3", quantity: 2 },
      { productId: "p4", quantity: 1 },
    ],
  });
}

/** A page that exercises every rule of storing a product state. */
const PAGE: ProductDoc[] = [
  // Newer: variant c dropped, a's page price older than its PriceChanged, more ratings and sales.
  doc("p1", {
    updatedAt: at(5),
    ratingAverage: 4.6,
    ratingCount: 12,
    soldCount: 7,
    variants: [variant("p1-a", 180_000), variant("p1-b", 230_000)],
  }),
  // Older than the state stored: changes nothing.
  doc("p2", { title: "Kaos Polos Putih", updatedAt: at(3) }),
  // Fewer ratings and sales than stored (the catalog lagging the events): the larger stay.
  doc("p3", { updatedAt: at(5), ratingAverage: 4, ratingCount: 150, soldCount: 800 }),
  // New products sharing breadcrumbs, one renaming a category, the next renaming it again.
  doc("p4", {
    updatedAt: at(5),
    categoryPath: [FASHION, { id: "c-shoes", name: "Sepatu Pria" }, { id: "c-running", name: "Sepatu Lari" }],
  }),
  doc("p5", {
    updatedAt: at(5),
    title: "Sandal Gunung Eiger",
    categoryId: "c-sandals",
    categoryPath: [FASHION, { id: "c-shoes", name: "Sepatu & Sandal" }, { id: "c-sandals", name: "Sandal" }],
    // The same variant listed twice: the last listing counts.
    variants: [variant("p5-a", 120_000), variant("p5-a", 110_000, "low_stock")],
  }),
  // The same product three times: the newest state wins, the ratings never go back.
  doc("p6", { ...BAGS, title: "Tas Ransel Laptop", updatedAt: at(4), ratingAverage: 5, ratingCount: 3 }),
  doc("p6", {
    ...BAGS,
    title: "Tas Ransel Laptop 15 inch",
    updatedAt: at(6),
    ratingAverage: 4,
    ratingCount: 2,
  }),
  doc("p6", { ...BAGS, title: "Tas Ransel Lama", updatedAt: at(5) }),
  // A variant listed by another product of the page, a draft, a product without variants.
  doc("p7", { ...BAGS, status: "draft", variants: [variant("p4-a", 90_000, "out_of_stock")] }),
  doc("p8", { ...BAGS, variants: [] }),
];

const TABLES = [
  "search_products",
  "search_variants",
  "search_categories",
  "search_words",
  "search_stock",
  "search_sales",
  "search_purchases",
  "search_pairs",
  "search_checkout_products",
];

/** Every row of the projection (indexed_at aside: the time of the write). */
async function projection(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const { rows } = await db.pool.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) - 'indexed_at' AS row FROM ${table} t ORDER BY to_jsonb(t)::text`,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

let oneByOne: TestDatabase;
let batch: TestDatabase;
before(async () => {
  [oneByOne, batch] = await Promise.all([
    createTestDatabase({ migrationsDir }),
    createTestDatabase({ migrationsDir }),
  ]);
});
after(async () => {
  await Promise.all([oneByOne?.drop(), batch?.drop()]);
});

const write = (db: TestDatabase, work: (w: ProjectionWriter) => Promise<void>) =>
  transaction(createDb<SearchDatabase>(db.pool), (trx) => work(pgProjection(trx)));

describe("storing product states", () => {
  test("a page stored as one batch leaves the projection as storing its products one by one", async () => {
    await write(oneByOne, storeBefore);
    await write(batch, storeBefore);
    await write(oneByOne, async (w) => {
      for (const d of PAGE) await w.upsertProduct(d);
    });
    await write(batch, (w) => w.upsertProducts(PAGE));

    const expected = await projection(oneByOne);
    assert.deepEqual(await projection(batch), expected);

    // And the rules hold (so equal projections are not two equally wrong ones).
    const product = (id: string) =>
      expected.search_products?.find((p) => (p as { product_id: string }).product_id === id) as Record<
        string,
        unknown
      >;
    assert.equal(product("p2").title, "Kaos Polos Hitam");
    assert.deepEqual(
      [
        product("p3").rating_avg,
        product("p3").rating_count,
        product("p3").catalog_sold,
        product("p3").sold_count,
      ],
      [4.8, 200, 900, 900],
    );
    assert.deepEqual([product("p1").rating_count, product("p1").catalog_sold], [12, 7]);
    // p1-a kept its newer price; p1-b has no stock; p1-c is gone.
    assert.deepEqual([product("p1").price, product("p1").in_stock], [199_000, true]);
    assert.deepEqual(
      [product("p6").title, product("p6").rating_avg, product("p6").rating_count],
      ["Tas Ransel Laptop 15 inch", 5, 3],
    );
    assert.deepEqual([product("p8").price, product("p8").in_stock], [0, false]);
    assert.equal(product("p7").active, false);
    const variants = expected.search_variants as { variant_id: string; product_id: string; price: number }[];
    assert.deepEqual(variants.map((v) => v.variant_id).sort(), [
      "p1-a",
      "p1-b",
      "p2-a",
      "p3-a",
      "p4-a",
      "p5-a",
      "p6-a",
    ]);
    assert.equal(variants.find((v) => v.variant_id === "p5-a")?.price, 110_000);
    const categories = expected.search_categories as {
      category_id: string;
      name: string;
      parent_id: string;
    }[];
    assert.equal(categories.find((c) => c.category_id === "c-shoes")?.name, "Sepatu & Sandal");
    assert.equal(categories.find((c) => c.category_id === "c-sandals")?.parent_id, "c-shoes");
    assert.ok((expected.search_words as { word: string }[]).some((w) => w.word === "eiger"));
  });
});
