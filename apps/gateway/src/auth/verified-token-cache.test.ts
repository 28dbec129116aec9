import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenCacheKey, VerifiedTokenCache } from "./verified-token-cache.ts";

const principal = { subject: "u1", roles: ["buyer"], scopes: ["buyer"], clientId: "toko-web" };
const always = () => true;

describe("VerifiedTokenCache", () => {
  it("keys by SHA-256, never by the token itself", () => {
    const key = tokenCacheKey("header.payload.signature");
    assert.equal(key.length, 43);
    assert.ok(!key.includes("payload"));
    assert.notEqual(tokenCacheKey("header.payload.signaturf"), key);
  });

  it("serves a copy until the token's exp, then forgets it", () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set("k", { principal, expiresAtMs: now + 60_000, kid: "a" });
    const first = cache.get("k", always);
    assert.ok(first);
    assert.deepEqual(first, principal);
    (first.roles as string[]).push("admin");
    assert.deepEqual(cache.get("k", always)?.roles, ["buyer"], "a caller's change does not stick");
    now += 59_999;
    assert.ok(cache.get("k", always));
    now += 1;
    assert.equal(cache.get("k", always), undefined, "gone at exp, with no skew added");
    assert.deepEqual(cache.stats(), { hits: 3, misses: 1, size: 0 });
  });

  it("does not keep a token that is already expired (accepted only within clock skew)", () => {
    const now = 5_000;
    const cache = new VerifiedTokenCache(10, () => now);
    cache.set("k", { principal, expiresAtMs: now, kid: "a" });
    assert.equal(cache.stats().size, 0);
  });

  it("drops an entry whose kid is no longer published", () => {
    const cache = new VerifiedTokenCache(10);
    cache.set("k", { principal, expiresAtMs: Date.now() + 60_000, kid: "old" });
    assert.equal(
      cache.get("k", (kid) => kid !== "old"),
      undefined,
    );
    assert.equal(cache.get("k", always), undefined, "and does not bring it back");
  });

  it("is bounded: the oldest insertion makes room; size 0 keeps nothing", () => {
    const cache = new VerifiedTokenCache(2);
    const exp = Date.now() + 60_000;
    for (const k of ["a", "b", "c"]) cache.set(k, { principal, expiresAtMs: exp, kid: "x" });
    assert.equal(cache.stats().size, 2);
    assert.equal(cache.get("a", always), undefined);
    assert.ok(cache.get("b", always));
    assert.ok(cache.get("c", always));
    const off = new VerifiedTokenCache(0);
    assert.equal(off.enabled, false);
    off.set("a", { principal, expiresAtMs: exp, kid: "x" });
    assert.equal(off.stats().size, 0);
  });
});
