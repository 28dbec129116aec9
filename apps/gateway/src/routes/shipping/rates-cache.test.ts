import assert from "node:assert/strict";
import { test } from "node:test";
import { RatesCache } from "./rates-cache.ts";

test("an answer is served until its TTL, then forgotten", () => {
  let now = 0;
  const cache = new RatesCache(1_000, 10, () => now);
  cache.set("/a", "A");
  now = 999;
  assert.equal(cache.get("/a"), "A");
  now = 1_000;
  assert.equal(cache.get("/a"), undefined);
});

test("when full, the least recently used answer goes first", () => {
  const cache = new RatesCache(1_000, 2, () => 0);
  cache.set("/a", "A");
  cache.set("/b", "B");
  cache.get("/a");
  cache.set("/c", "C");
  assert.deepEqual([cache.get("/a"), cache.get("/b"), cache.get("/c")], ["A", undefined, "C"]);
});
