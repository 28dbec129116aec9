import assert from "node:assert/strict";
import { test } from "node:test";
import { aliasProblem } from "./alias.ts";

test("accepts 3 to 32 letters, digits, underscore and dash", () => {
  for (const alias of ["abc", "Promo_2025", "a-b_c", "x".repeat(32), "123"]) {
    assert.equal(aliasProblem(alias), undefined, alias);
  }
});

test("rejects lengths outside 3..32", () => {
  assert.match(aliasProblem("ab") ?? "", /3 to 32/);
  assert.match(aliasProblem("x".repeat(33)) ?? "", /3 to 32/);
});

test("rejects other characters with a clear message, Unicode called out", () => {
  assert.match(aliasProblem("héllo") ?? "", /ASCII/);
  assert.match(aliasProblem("promo🎉") ?? "", /ASCII/);
  assert.match(aliasProblem("a b c") ?? "", /letters, digits/);
  assert.match(aliasProblem("a/b/c") ?? "", /letters, digits/);
  assert.match(aliasProblem("a.bc") ?? "", /letters, digits/);
});

test("rejects reserved words in any case", () => {
  for (const alias of ["api", "API", "docs", "Admin", "oauth2", "login", "healthz"]) {
    assert.match(aliasProblem(alias) ?? "", /reserved/, alias);
  }
  assert.equal(aliasProblem("apis"), undefined);
});
