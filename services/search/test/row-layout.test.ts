import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createDb, migrate, readMigrations, transaction } from "@toko/kit";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import type { ProjectionWriter } from "../src/application/ports.ts";
import { parseSearch } from "../src/domain/query.ts";
import { type RankingWeights, score } from "../src/domain/ranking.ts";
import { layOutProjection, pgProjection } from "../src/infrastructure/pg-projection.ts";
import { PgSearchEngine } from "../src/infrastructure/pg-search-engine.ts";
import type { SearchDatabase } from "../src/infrastructure/schema.ts";
import { migrationsDir } from "../src/start.ts";
import { at, BAGS, doc, FASHION, searchInput, variant } from "./fixtures.ts";

// Migration 0002 rebuilds search_products: the columns a search reads first, the ranking
// signals stored, the rows in category order. None of it may change what is stored or found.

const TOPS = { categoryId: "c-tops", categoryPath: [FASHION, { id: "c-tops", name: "Atasan Pria" }] };
const CATEGORY_OF = ["c-running", "c-bags", "c-tops"];

/** Products of three categories, written in an order that mixes them. */
async function storeMixed(w: ProjectionWriter, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const category = CATEGORY_OF[i % 3];
    const where = category === "c-bags" ? BAGS : category === "c-tops" ? TOPS : {};
    await w.upsertProduct(
      doc(`${prefix}${i}`, {
        ...where,
        ratingAverage: 3 + (i % 5) / 2,
        ratingCount: (i * 7) % 40,
        soldCount: (i * 37) % 500,
        createdAt: at(i * 60),
        variants: [variant(`${prefix}${i}-a`, 100_000 + i * 1_000)],
      }),
    );
  }
}

/** Every product row as JSON, without the write time. */
async function rows(db: TestDatabase): Promise<unknown[]> {
  const { rows } = await db.pool.query<{ row: unknown }>(
    "SELECT to_jsonb(p) - 'indexed_at' - 'quality' - 'sales_log' - 'created_epoch' AS row FROM search_products p ORDER BY product_id",
  );
  return rows.map((r) => r.row);
}

/** The categories of the rows in their physical order. */
async function physicalCategories(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ category_id: string }>(
    "SELECT category_id FROM search_products ORDER BY ctid",
  );
  return rows.map((r) => r.category_id);
}

const grouped = (categories: string[]) =>
  categories.every((c, i) => i === 0 || (categories[i - 1] ?? "") <= c);

const write = (db: TestDatabase, work: (w: ProjectionWriter) => Promise<void>) =>
  transaction(createDb<SearchDatabase>(db.pool), (trx) => work(pgProjection(trx)));

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
});

describe("the row layout (migration 0002)", () => {
  test("keeps every row written before it, puts them in category order and keeps the variants' key", async () => {
    const all = readMigrations(migrationsDir);
    assert.ok(all[1]?.name.startsWith("0002_"));
    await migrate(db.pool, all.slice(0, 1));
    await write(db, (w) => storeMixed(w, "old", 12));
    const before = await rows(db);
    assert.equal(grouped(await physicalCategories(db)), false);

    await migrate(db.pool, all);
    assert.deepEqual(await rows(db), before);
    assert.equal(grouped(await physicalCategories(db)), true);
    // The variants still belong to their product: archiving and removal behave as before.
    await assert.rejects(
      db.pool.query(
        "INSERT INTO search_variants (variant_id, product_id, shop_id, sku_key, price, price_at) VALUES ('x', 'nope', 's', 'k', 1, now())",
      ),
      /foreign key/,
    );
    await db.pool.query("DELETE FROM search_products WHERE product_id = 'old0'");
    const left = await db.pool.query("SELECT 1 FROM search_variants WHERE product_id = 'old0'");
    assert.equal(left.rowCount, 0);
  });

  test("the stored signals rank a browse exactly as domain/ranking.ts scores it", async () => {
    const weights: RankingWeights = {
      text: 1,
      rating: 0.4,
      sales: 0.35,
      freshness: 0.25,
      freshnessDays: 3,
      salesSaturation: 200,
    };
    const now = at(24 * 60);
    const engine = new PgSearchEngine(createDb<SearchDatabase>(db.pool), { weights, now: () => now });
    const result = await engine.search(parseSearch(searchInput({ categoryId: "c-fashion", limit: 60 })));
    const { rows: signals } = await db.pool.query<{
      product_id: string;
      rating_avg: number;
      rating_count: string;
      sold_count: string;
      created_at: Date;
    }>(
      "SELECT product_id, rating_avg, rating_count, sold_count, created_at FROM search_products WHERE active",
    );
    const expected = signals
      .map((s) => ({
        id: s.product_id,
        score: score(weights, {
          textRank: 0,
          ratingAverage: s.rating_avg,
          ratingCount: Number(s.rating_count),
          sold: Number(s.sold_count),
          ageDays: (now.getTime() - s.created_at.getTime()) / 86_400_000,
        }),
      }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1))
      .map((s) => s.id);
    assert.equal(result.total, expected.length);
    assert.deepEqual(
      result.hits.map((h) => h.productId),
      expected,
    );
  });

  test("the reindex's layout step puts products added since back in category order", async () => {
    await write(db, (w) => storeMixed(w, "new", 9));
    assert.equal(grouped(await physicalCategories(db)), false);
    await layOutProjection(createDb<SearchDatabase>(db.pool));
    assert.equal(grouped(await physicalCategories(db)), true);
  });
});
