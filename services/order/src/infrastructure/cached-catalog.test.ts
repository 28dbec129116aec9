import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Catalog, ShopFacts } from "../application/ports.ts";
import { cachedCatalog } from "./cached-catalog.ts";

const shopOf = (shopId: string, city: string): ShopFacts => ({
  shopId,
  ownerId: `owner-${shopId}`,
  name: shopId,
  city,
  province: "Jawa Barat",
});

/** A catalog that counts its questions and answers from maps the test changes. */
function countingCatalog() {
  const shops = new Map<string, ShopFacts>();
  const categories = new Map<string, string>();
  const asked = { shops: [] as string[], products: [] as string[][] };
  const catalog: Catalog = {
    async shop(id) {
      asked.shops.push(id);
      return shops.get(id) ?? null;
    },
    async categories(ids) {
      asked.products.push(ids);
      return new Map(ids.flatMap((id) => (categories.has(id) ? [[id, categories.get(id) ?? ""]] : [])));
    },
    callerShopId: async () => "mine",
  };
  return { catalog, shops, categories, asked };
}

describe("cachedCatalog", () => {
  it("answers a shop from memory until the TTL passes, then asks again", async () => {
    let now = 0;
    const c = countingCatalog();
    c.shops.set("s1", shopOf("s1", "Bandung"));
    const cached = cachedCatalog(c.catalog, { ttlMs: 1_000, maxEntries: 10, now: () => now });
    assert.equal((await cached.shop("s1"))?.city, "Bandung");
    c.shops.set("s1", shopOf("s1", "Bogor"));
    now = 999;
    assert.equal((await cached.shop("s1"))?.city, "Bandung", "within the TTL the old answer stands");
    now = 1_000;
    assert.equal((await cached.shop("s1"))?.city, "Bogor");
    assert.deepEqual(c.asked.shops, ["s1", "s1"]);
  });

  it("does not keep a shop that was not found", async () => {
    const c = countingCatalog();
    const cached = cachedCatalog(c.catalog, { ttlMs: 60_000, maxEntries: 10 });
    assert.equal(await cached.shop("new"), null);
    c.shops.set("new", shopOf("new", "Depok"));
    assert.equal((await cached.shop("new"))?.city, "Depok");
  });

  it("asks only for the categories it does not hold", async () => {
    const c = countingCatalog();
    c.categories.set("p1", "c1");
    c.categories.set("p2", "c2");
    const cached = cachedCatalog(c.catalog, { ttlMs: 60_000, maxEntries: 10 });
    assert.deepEqual([...(await cached.categories(["p1"]))], [["p1", "c1"]]);
    assert.deepEqual([...(await cached.categories(["p1", "p2", "gone"]))].sort(), [
      ["p1", "c1"],
      ["p2", "c2"],
    ]);
    assert.deepEqual(
      await cached.categories(["p2", "p1"]),
      new Map([
        ["p2", "c2"],
        ["p1", "c1"],
      ]),
    );
    assert.deepEqual(c.asked.products, [["p1"], ["p2", "gone"]]);
  });

  it("holds at most maxEntries, dropping the oldest", async () => {
    const c = countingCatalog();
    for (const id of ["a", "b", "c"]) c.shops.set(id, shopOf(id, "Bekasi"));
    const cached = cachedCatalog(c.catalog, { ttlMs: 60_000, maxEntries: 2 });
    for (const id of ["a", "b", "c", "b", "c", "a"]) await cached.shop(id);
    assert.deepEqual(c.asked.shops, ["a", "b", "c", "a"]);
  });

  it("with a TTL of 0 asks every time", async () => {
    const c = countingCatalog();
    c.shops.set("s", shopOf("s", "Bekasi"));
    const cached = cachedCatalog(c.catalog, { ttlMs: 0, maxEntries: 10 });
    await cached.shop("s");
    await cached.shop("s");
    assert.equal(c.asked.shops.length, 2);
  });
});
