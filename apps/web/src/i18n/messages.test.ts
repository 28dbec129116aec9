import assert from "node:assert/strict";
import { test } from "node:test";
import { en, id, interpolate } from "./messages.ts";

test("both languages have every message and the same placeholders", () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(id).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    assert.deepEqual(names(id[key as keyof typeof en]), names(text), key);
    assert.ok(id[key as keyof typeof en].trim().length > 0, key);
  }
});

test("placeholders are filled, unknown ones kept", () => {
  assert.equal(interpolate("{count} results for “{q}”", { count: 3, q: "tas" }), "3 results for “tas”");
  assert.equal(interpolate("Hi {who}", {}), "Hi {who}");
});
