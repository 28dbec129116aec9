import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "../src/index.ts";

describe("createTestDatabase", () => {
  let a: TestDatabase;
  let b: TestDatabase;
  before(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  after(async () => {
    await Promise.all([a.drop(), b.drop()]);
  });

  it("gives each caller its own database with the template's extensions", async () => {
    assert.notEqual(a.url, b.url);
    await a.pool.query("CREATE TABLE t (x int)");
    const { rows } = await b.pool.query("SELECT to_regclass('t') AS t");
    assert.equal(rows[0].t, null);
    const ext = await b.pool.query("SELECT extname FROM pg_extension ORDER BY extname");
    assert.deepEqual(
      ext.rows.map((r) => r.extname).filter((n) => n !== "plpgsql"),
      ["pg_trgm", "pgcrypto", "unaccent"],
    );
  });

  it("drops the database", async () => {
    const c = await createTestDatabase();
    await c.drop();
    await assert.rejects(async () => {
      const { createPool } = await import("@toko/kit");
      const pool = createPool({ url: c.url, max: 1 });
      try {
        await pool.query("SELECT 1");
      } finally {
        await pool.end();
      }
    }, /does not exist/);
  });
});
