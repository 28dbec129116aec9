import assert from "node:assert/strict";
import { test } from "node:test";
import { RatesCache } from "./rates-cache.ts";

test("an answer is fresh for its TTL, stale during the grace, then forgotten", () => {
  let now = 0;
  const cache = new RatesCache(1_000, 500, 10, () => now);
  cache.set("/a", "A");
  now = 999;
  assert.deepEqual(cache.get("/a"), { body: "A", fresh: true });
  now = 1_000;
  assert.deepEqual(cache.get("/a"), { body: "A", fresh: false });
  now = 1_500;
  assert.equal(cache.get("/a"), undefined);
});

test("when full, the least recently used answer goes first", () => {
  const cache = new RatesCache(1_000, 0, 2, () => 0);
  cache.set("/a", "A");
  cache.set("/b", "B");
  cache.get("/a");
  cache.set("/c", "C");
  assert.deepEqual(
    ["/a", "/b", "/c"].map((k) => cache.get(k)?.body),
    ["A", undefined, "C"],
  );
});

test("one refresh per key at a time; its answer replaces the stale one; a failure keeps it", async () => {
  let now = 0;
  const cache = new RatesCache(1_000, 10_000, 10, () => now);
  cache.set("/a", "old");
  now = 2_000;
  let loads = 0;
  let finish!: (body: string) => void;
  const load = () => {
    loads++;
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  cache.refresh("/a", load, (e) => assert.fail(String(e)));
  cache.refresh("/a", load, (e) => assert.fail(String(e)));
  assert.equal(loads, 1);
  finish("new");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(cache.get("/a"), { body: "new", fresh: true });
  now = 4_000;
  const errors: unknown[] = [];
  cache.refresh(
    "/a",
    () => Promise.reject(new Error("down")),
    (e) => errors.push(e),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(errors.length, 1);
  assert.deepEqual(cache.get("/a"), { body: "new", fresh: false });
});
