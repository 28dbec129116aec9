import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { etagMatches, type PageLoad, ProductPageCache } from "./product-cache.ts";

function setup(over: { ttlMs?: number; maxEntries?: number; maxBytes?: number } = {}) {
  let now = 1_000_000;
  const cache = new ProductPageCache({
    ttlMs: over.ttlMs ?? 30_000,
    maxEntries: over.maxEntries ?? 100,
    maxBytes: over.maxBytes ?? 1_000_000,
    now: () => now,
  });
  let loads = 0;
  const page =
    (body: string, more: Partial<PageLoad> = {}) =>
    async (): Promise<PageLoad> => {
      loads++;
      return { body, shared: true, maxAgeMs: undefined, ...more };
    };
  return {
    cache,
    page,
    loads: () => loads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A load the test finishes by hand. */
function deferred() {
  let finish: (value: PageLoad) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const promise = new Promise<PageLoad>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { load: () => promise, finish, fail };
}

describe("ProductPageCache", () => {
  test("serves a stored page until the TTL, then loads again", async () => {
    const { cache, page, loads, advance } = setup();
    const first = await cache.fill("p1", page('{"v":1}'), true);
    assert.equal(first.body.toString(), '{"v":1}');
    assert.match(first.etag, /^"[\w-]+"$/);
    advance(29_999);
    assert.equal(cache.lookup("p1")?.etag, first.etag);
    advance(1);
    assert.equal(cache.lookup("p1"), undefined, "expired at exactly the TTL");
    assert.equal(loads(), 1);
  });

  test("never keeps a page past the service's hint (the next scheduled price change)", async () => {
    const { cache, page, advance } = setup();
    await cache.fill("p1", page("a", { maxAgeMs: 5_000 }), true);
    advance(4_999);
    assert.ok(cache.lookup("p1"));
    advance(1);
    assert.equal(cache.lookup("p1"), undefined);
    // A change due now is not cached at all.
    await cache.fill("p2", page("b", { maxAgeMs: 0 }), true);
    assert.equal(cache.lookup("p2"), undefined);
  });

  test("the expiry counts from the start of the load, not its end", async () => {
    const { cache, advance } = setup();
    const slow = deferred();
    const filling = cache.fill("p1", slow.load, true);
    advance(3_000);
    slow.finish({ body: "a", shared: true, maxAgeMs: 5_000 });
    await filling;
    advance(1_999);
    assert.ok(cache.lookup("p1"));
    advance(1);
    assert.equal(cache.lookup("p1"), undefined);
  });

  test("pages only their owner may see are returned but never stored", async () => {
    const { cache, page } = setup();
    const draft = await cache.fill("p1", page("draft", { shared: false }), false);
    assert.equal(draft.shared, false);
    assert.equal(cache.lookup("p1"), undefined);
  });

  test("concurrent coalescing misses share one load; others load on their own", async () => {
    const { cache } = setup();
    const slow = deferred();
    let calls = 0;
    const load = () => {
      calls++;
      return slow.load();
    };
    const a = cache.fill("p1", load, true);
    const b = cache.fill("p1", load, true);
    const own = cache.fill("p1", load, false);
    slow.finish({ body: "x", shared: true, maxAgeMs: undefined });
    assert.equal(await a, await b);
    await own;
    assert.equal(calls, 2);
  });

  test("a failed load is shared by its waiters and not cached", async () => {
    const { cache, page } = setup();
    const slow = deferred();
    const a = cache.fill("p1", slow.load, true);
    const b = cache.fill("p1", slow.load, true);
    slow.fail(new Error("unavailable"));
    await assert.rejects(a, /unavailable/);
    await assert.rejects(b, /unavailable/);
    assert.equal(cache.lookup("p1"), undefined);
    assert.equal((await cache.fill("p1", page("ok"), true)).body.toString(), "ok");
  });

  test("an eviction during a load keeps the (possibly stale) page out, and later misses load afresh", async () => {
    const { cache, page } = setup();
    const slow = deferred();
    const before = cache.fill("p1", slow.load, true);
    cache.evict("p1");
    const after = cache.fill("p1", page("new"), true);
    slow.finish({ body: "old", shared: true, maxAgeMs: undefined });
    assert.equal((await before).body.toString(), "old");
    assert.equal((await after).body.toString(), "new");
    assert.equal(cache.lookup("p1")?.body.toString(), "new");
    cache.evict("p1");
    assert.equal(cache.lookup("p1"), undefined);
  });

  test("bounded by entries and bytes, least recently used out first", async () => {
    const { cache, page } = setup({ maxEntries: 3, maxBytes: 10 });
    for (const id of ["a", "b", "c"]) await cache.fill(id, page("xx"), true);
    assert.ok(cache.lookup("a"), "touch a: b is now the oldest");
    await cache.fill("d", page("xx"), true);
    assert.equal(cache.lookup("b"), undefined);
    assert.deepEqual(
      ["a", "c", "d"].map((id) => Boolean(cache.lookup(id))),
      [true, true, true],
    );
    // Now a, c, d (6 bytes), a least recently used: a 5-byte page makes 11 and pushes out a alone.
    await cache.fill("e", page("12345"), true);
    assert.equal(cache.size, 3);
    assert.equal(cache.lookup("a"), undefined);
    assert.ok(cache.lookup("c") && cache.lookup("d") && cache.lookup("e"));
    // A page bigger than the whole budget is served but not kept.
    assert.equal((await cache.fill("f", page("x".repeat(11)), true)).body.length, 11);
    assert.equal(cache.size, 0);
  });

  test("a page hit at least once per half a cache of new pages is never evicted", async () => {
    // Hits move a page to the recent end only once it has drifted into the older half, so a
    // hot page costs no map churn per hit yet survives like under exact LRU.
    const { cache, page } = setup({ maxEntries: 10, maxBytes: 1_000 });
    await cache.fill("hot", page("x"), true);
    for (let i = 0; i < 100; i++) {
      await cache.fill(`cold-${i}`, page("x"), true);
      if (i % 4 === 3) assert.ok(cache.lookup("hot"), `hot page still cached after ${i + 1} new pages`);
    }
    assert.equal(cache.size, 10);
    // The rest are the newest nine; a page nobody asks for goes once they have come after it.
    assert.equal(cache.lookup("cold-90"), undefined);
    assert.ok(cache.lookup("cold-91") && cache.lookup("cold-99"));
  });
});

test("etagMatches: exact, weak, lists and *", () => {
  assert.equal(etagMatches(undefined, '"a"'), false);
  assert.equal(etagMatches('"a"', '"a"'), true);
  assert.equal(etagMatches('W/"a"', '"a"'), true);
  assert.equal(etagMatches('"b", "a"', '"a"'), true);
  assert.equal(etagMatches("*", '"a"'), true);
  assert.equal(etagMatches('"b"', '"a"'), false);
});
