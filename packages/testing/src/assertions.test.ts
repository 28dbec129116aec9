import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DomainError, errors } from "@toko/kit";
import { countRows, rejectsWithCode } from "./assertions.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";

describe("rejectsWithCode", () => {
  it("returns the domain error with the expected code", async () => {
    const error = await rejectsWithCode(Promise.reject(errors.notFound("link")), "NOT_FOUND");
    assert.ok(error instanceof DomainError);
    assert.equal(error.kind, "not_found");
  });

  it("fails on another code, another error type or a resolved promise", async () => {
    const taken = new DomainError("conflict", "ALIAS_TAKEN", "taken");
    await assert.rejects(
      rejectsWithCode(Promise.reject(taken), "NOT_FOUND"),
      /expected DomainError NOT_FOUND, got ALIAS_TAKEN/,
    );
    await assert.rejects(rejectsWithCode(Promise.reject(new Error("boom")), "NOT_FOUND"), /got Error: boom/);
    await assert.rejects(rejectsWithCode(Promise.resolve(1), "NOT_FOUND"), /the promise resolved/);
  });
});

describe("countRows", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
    await db.pool.query(`CREATE TABLE links (code text PRIMARY KEY, owner text, disabled_at timestamptz);
      INSERT INTO links VALUES ('a', 'alice', NULL), ('b', 'alice', now()), ('c', 'bob', NULL), ('d', NULL, NULL)`);
  });
  after(async () => {
    await db.drop();
  });

  it("counts all rows or those matching every column, binding values", async () => {
    assert.equal(await countRows(db.pool, "links"), 4);
    assert.equal(await countRows(db.pool, "public.links", { owner: "alice" }), 2);
    assert.equal(await countRows(db.pool, "links", { owner: "alice", disabled_at: null }), 1);
    assert.equal(await countRows(db.pool, "links", { owner: null }), 1);
    assert.equal(await countRows(db.pool, "links", { owner: "x' OR '1'='1" }), 0);
  });

  it("refuses names that are not plain identifiers", async () => {
    await assert.rejects(countRows(db.pool, "links; DROP TABLE links"), TypeError);
    await assert.rejects(countRows(db.pool, "links", { "owner = owner OR true --": 1 }), TypeError);
    assert.equal(await countRows(db.pool, "links"), 4);
  });
});
