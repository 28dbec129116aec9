import assert from "node:assert/strict";
import { test } from "node:test";
import { LruCache } from "./lru-cache.ts";

test("evicts the least recently used entry beyond capacity", () => {
  const cache = new LruCache<number>(2, () => 0);
  cache.set("a", 1, 100);
  cache.set("b", 2, 100);
  assert.equal(cache.get("a"), 1); // a is now the most recent
  cache.set("c", 3, 100);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
  assert.equal(cache.size, 2);
});

test("an entry is gone exactly at its expiry instant", () => {
  let now = 0;
  const cache = new LruCache<string>(10, () => now);
  cache.set("k", "v", 1000);
  now = 999;
  assert.equal(cache.get("k"), "v");
  now = 1000;
  assert.equal(cache.get("k"), undefined);
  assert.equal(cache.size, 0);
});

test("already-expired values and a zero capacity store nothing", () => {
  const cache = new LruCache<string>(10, () => 50);
  cache.set("k", "v", 50);
  assert.equal(cache.get("k"), undefined);
  const none = new LruCache<string>(0, () => 0);
  none.set("k", "v", 100);
  assert.equal(none.get("k"), undefined);
});

test("delete and clear remove entries", () => {
  const cache = new LruCache<string>(10, () => 0);
  cache.set("a", "1", 10);
  cache.set("b", "2", 10);
  cache.delete("a");
  assert.equal(cache.get("a"), undefined);
  cache.clear();
  assert.equal(cache.get("b"), undefined);
});
