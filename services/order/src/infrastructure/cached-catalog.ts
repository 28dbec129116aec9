import type { Catalog, ShopFacts } from "../application/ports.ts";

/** Bounded map of answers kept until `ttlMs` after they were fetched; the oldest go first when full. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }
}

/**
 * The product facts a checkout copies into its orders — a shop's owner and shipping origin, a
 * product's category (for the commission) — kept for `ttlMs`, since every checkout of a shop
 * would otherwise ask `product` the same questions. They change rarely (a shop moving city, a
 * product re-categorised); an order placed within `ttlMs` of such a change may carry the old
 * value. A shop that is not found is not kept, and 0 turns the cache off.
 */
export function cachedCatalog(
  catalog: Catalog,
  options: { ttlMs: number; maxEntries: number; now?: () => number },
): Catalog {
  if (options.ttlMs <= 0) return catalog;
  const now = options.now ?? Date.now;
  const shops = new TtlCache<ShopFacts>(options.ttlMs, options.maxEntries, now);
  const categories = new TtlCache<string>(options.ttlMs, options.maxEntries, now);
  return {
    async shop(shopId) {
      const hit = shops.get(shopId);
      if (hit) return hit;
      const shop = await catalog.shop(shopId);
      if (shop) shops.set(shopId, shop);
      return shop;
    },
    async categories(productIds) {
      const map = new Map<string, string>();
      const missing: string[] = [];
      for (const id of productIds) {
        const hit = categories.get(id);
        if (hit === undefined) missing.push(id);
        else map.set(id, hit);
      }
      if (missing.length === 0) return map;
      for (const [id, category] of await catalog.categories(missing)) {
        categories.set(id, category);
        map.set(id, category);
      }
      return map;
    },
    callerShopId: () => catalog.callerShopId(),
  };
}
