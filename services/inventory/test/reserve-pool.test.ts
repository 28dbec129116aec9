import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import type pg from "pg";
import { createReservePool, withGenericPlans } from "../src/infrastructure/pg-reserve.ts";

// Registered before any connection exists: pg reports a query queued on a busy client through
// util.deprecate, once per process, so this file must be the first thing to open a reserve pool.
const warnings: string[] = [];
process.on("warning", (w) => warnings.push(w.message));

let db: TestDatabase;
let pool: pg.Pool;
before(async () => {
  db = await createTestDatabase();
  pool = createReservePool(db.url, 3);
});
after(async () => {
  await pool.end();
  await db.drop();
});

test("every reserve connection plans generically from its first query, with no queued query", async () => {
  // Three at once, so each runs on a connection opened for it.
  const modes = await Promise.all(
    Array.from({ length: 3 }, () => pool.query<{ plan_cache_mode: string }>("SHOW plan_cache_mode")),
  );
  assert.deepEqual(
    modes.map((r) => r.rows[0]?.plan_cache_mode),
    ["force_generic_plan", "force_generic_plan", "force_generic_plan"],
  );
  assert.equal(pool.totalCount, 3);
  // Let a pending process 'warning' event (emitted on the next tick) arrive before checking.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings, []);
});

test("the setting joins options already in the URL instead of replacing them", () => {
  const url = withGenericPlans(
    "postgres://u@127.0.0.1:5432/inv?options=-c%20statement_timeout%3D5000&sslmode=disable",
  );
  const params = new URL(url).searchParams;
  assert.equal(params.get("options"), "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan");
  assert.equal(params.get("sslmode"), "disable");
});
