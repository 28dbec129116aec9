import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { createDb, type Kysely, transaction } from "./database.ts";

interface Schema {
  account: { id: number; balance: number };
}

describe("database helpers", () => {
  let db: TestDatabase;
  let kysely: Kysely<Schema>;
  before(async () => {
    db = await createTestDatabase();
    await db.pool.query("CREATE TABLE account (id int PRIMARY KEY, balance bigint NOT NULL)");
    kysely = createDb<Schema>(db.pool);
  });
  after(async () => {
    await db.drop();
  });

  it("reads bigint columns as numbers", async () => {
    await kysely.insertInto("account").values({ id: 1, balance: 9_007_199_254_740_991 }).execute();
    const row = await kysely.selectFrom("account").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    assert.equal(row.balance, 9_007_199_254_740_991);
  });

  it("refuses a bigint beyond the safe integer range instead of rounding it", async () => {
    await db.pool.query("INSERT INTO account VALUES (2, 9007199254740993)");
    await assert.rejects(
      kysely.selectFrom("account").selectAll().where("id", "=", 2).execute(),
      /exceeds the safe range/,
    );
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await transaction(kysely, (trx) => trx.insertInto("account").values({ id: 3, balance: 10 }).execute());
    await assert.rejects(
      transaction(kysely, async (trx) => {
        await trx.insertInto("account").values({ id: 4, balance: 10 }).execute();
        throw new Error("boom");
      }),
      /boom/,
    );
    const ids = (await kysely.selectFrom("account").select("id").orderBy("id").execute()).map((r) => r.id);
    assert.deepEqual(ids, [1, 2, 3]);
  });
});
