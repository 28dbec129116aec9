import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResolutionCache } from "./resolution-cache.ts";

describe("ResolutionCache", () => {
  let now = 1_000_000;
  const clock = () => now;
  const make = (maxEntries = 3) =>
    new ResolutionCache({ maxEntries, ttlMs: 5_000, negativeTtlMs: 1_000, now: clock });

  it("serves an entry for its TTL and forgets it after", () => {
    const cache = make();
    cache.set("a", { url: "https://a.example/" });
    now += 4_999;
    assert.deepEqual(cache.get("a"), { hit: true, resolution: { url: "https://a.example/" } });
    now += 1;
    assert.deepEqual(cache.get("a"), { hit: false });
  });

  it("never serves a link past its own expiry, exactly at the boundary", () => {
    const cache = make();
    cache.set("a", { url: "https://a.example/", expiresAt: new Date(now + 1_000) });
    now += 999;
    assert.equal(cache.get("a").hit, true);
    now += 1;
    assert.equal(cache.get("a").hit, false);
  });

  it("does not store an already expired resolution", () => {
    const cache = make();
    cache.set("a", { url: "https://a.example/", expiresAt: new Date(now) });
    assert.equal(cache.size, 0);
  });

  it("caches unknown codes briefly", () => {
    const cache = make();
    cache.set("nope", null);
    assert.deepEqual(cache.get("nope"), { hit: true, resolution: null });
    now += 1_000;
    assert.deepEqual(cache.get("nope"), { hit: false });
  });

  it("evicts the least recently used entry beyond its bound, and forgets on delete", () => {
    const cache = make(2);
    cache.set("a", { url: "https://a.example/" });
    cache.set("b", { url: "https://b.example/" });
    cache.get("a");
    cache.set("c", { url: "https://c.example/" });
    assert.equal(cache.size, 2);
    assert.equal(cache.get("b").hit, false);
    assert.equal(cache.get("a").hit, true);
    cache.delete("a");
    assert.equal(cache.get("a").hit, false);
  });
});
