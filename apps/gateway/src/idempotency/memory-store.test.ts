import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson } from "../plugins/idempotency.ts";
import { createMemoryIdempotencyStore } from "./memory-store.ts";

test("the memory store keeps at most maxEntries claims, dropping the oldest", async () => {
  const store = createMemoryIdempotencyStore(60_000, 3);
  try {
    for (const key of ["a", "b", "c", "d"]) assert.equal(await store.claim(key, "f", 60_000), null);
    // "a" was evicted, so it can be claimed afresh; "d" is still held.
    assert.equal(await store.claim("a", "f", 60_000), null);
    assert.deepEqual(await store.claim("d", "f", 60_000), { state: "in_flight", fingerprint: "f" });
  } finally {
    await store.close();
  }
});

test("an expired claim can be taken again", async () => {
  const store = createMemoryIdempotencyStore();
  try {
    assert.equal(await store.claim("k", "f", 1), null);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await store.claim("k", "g", 60_000), null);
  } finally {
    await store.close();
  }
});

test("canonical JSON sorts keys at every depth and keeps array order", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: "x" }), '{"b":"x"}');
  assert.equal(canonicalJson(undefined), "null");
});
