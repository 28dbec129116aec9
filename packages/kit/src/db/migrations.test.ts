import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, makeTempDir, type TestDatabase } from "@toko/testing";
import { MigrationError, migrate, readMigrations } from "./migrations.ts";

function dirWith(files: Record<string, string>): string {
  const dir = makeTempDir("migrations");
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe("migrate", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it("applies pending migrations in order, once", async () => {
    const dir = dirWith({
      "0002_add_column.sql": "ALTER TABLE widget ADD COLUMN size int NOT NULL DEFAULT 1;",
      "0001_create.sql": "CREATE TABLE widget (id int PRIMARY KEY);",
    });
    assert.deepEqual(await migrate(db.pool, readMigrations(dir)), ["0001_create.sql", "0002_add_column.sql"]);
    assert.deepEqual(await migrate(db.pool, readMigrations(dir)), []);
    const { rows } = await db.pool.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'widget' ORDER BY 1",
    );
    assert.deepEqual(
      rows.map((r) => r.column_name),
      ["id", "size"],
    );
  });

  it("rolls back a failing migration, names it, and keeps what came before", async () => {
    const dir = dirWith({
      "0001_create.sql": "CREATE TABLE widget (id int PRIMARY KEY);",
      "0002_add_column.sql": "ALTER TABLE widget ADD COLUMN size int NOT NULL DEFAULT 1;",
      "0003_broken.sql": "CREATE TABLE gadget (id int); SELECT * FROM no_such_table;",
    });
    await assert.rejects(migrate(db.pool, readMigrations(dir)), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.equal(error.file, "0003_broken.sql");
      assert.match(error.message, /0003_broken\.sql failed: relation "no_such_table" does not exist/);
      return true;
    });
    const { rows } = await db.pool.query("SELECT to_regclass('gadget') AS t");
    assert.equal(rows[0].t, null);
  });

  it("refuses an applied migration whose file changed", async () => {
    const dir = dirWith({ "0001_create.sql": "CREATE TABLE widget (id bigint PRIMARY KEY);" });
    await assert.rejects(
      migrate(db.pool, readMigrations(dir)),
      /0001_create\.sql failed: was changed after it was applied/,
    );
  });

  it("rejects files that are not NNNN_name.sql", () => {
    const dir = dirWith({ "create.sql": "SELECT 1" });
    assert.throws(() => readMigrations(dir), /create\.sql failed: file name must be NNNN_name\.sql/);
  });

  it("lets two concurrent runners apply each migration once", async () => {
    const other = await createTestDatabase();
    try {
      const dir = dirWith({
        "0001_a.sql": "CREATE TABLE a (id int);",
        "0002_b.sql": "CREATE TABLE b (id int);",
      });
      const results = await Promise.all([
        migrate(other.pool, readMigrations(dir)),
        migrate(other.pool, readMigrations(dir)),
      ]);
      assert.deepEqual(results.flat().sort(), ["0001_a.sql", "0002_b.sql"]);
    } finally {
      await other.drop();
    }
  });
});
