import assert from "node:assert/strict";
import { test } from "node:test";
import { matchRoute, safeReturnPath } from "./route-match.ts";

test("patterns match whole paths and decode parameters", () => {
  assert.deepEqual(matchRoute("/", "/"), {});
  assert.deepEqual(matchRoute("/p/:id", "/p/abc"), { id: "abc" });
  assert.deepEqual(matchRoute("/shop/:slug", "/shop/toko%20a/"), { slug: "toko a" });
  assert.equal(matchRoute("/p/:id", "/p"), undefined);
  assert.equal(matchRoute("/p/:id", "/q/1"), undefined);
  assert.equal(matchRoute("/p/:id", "/p/%E0%A4%A"), undefined);
});

test("only same-origin paths are returned to after sign-in", () => {
  assert.equal(safeReturnPath("/cart"), "/cart");
  assert.equal(safeReturnPath("//evil.example/x"), "/");
  assert.equal(safeReturnPath("https://evil.example"), "/");
  assert.equal(safeReturnPath("/\\evil"), "/");
  assert.equal(safeReturnPath(null), "/");
});
