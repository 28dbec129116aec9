import type { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { DomainError, type Principal, type PromiseClient } from "@toko/kit";
import type { ShopDirectory } from "../application/ports.ts";

const SHOP_CACHE_MS = 60_000;
const MAX_PAGES = 50;

/**
 * The product service as inventory's shop directory: the seller's shop from GetMyShop (one
 * shop per user, so cached briefly) and SKUs from the shop's catalog listing.
 */
export function productShopDirectory(client: PromiseClient<ProductServiceClient>): ShopDirectory {
  const shops = new Map<string, { shopId: string; at: number }>();
  return {
    async shopOf(principal: Principal) {
      const cached = shops.get(principal.subject);
      if (cached && Date.now() - cached.at < SHOP_CACHE_MS) return cached.shopId;
      let shopId: string | undefined;
      try {
        shopId = (await client.getMyShop({}, { principal })).shop?.id;
      } catch (error) {
        if (error instanceof DomainError && (error.code === "NO_SHOP" || error.code === "NOT_FOUND"))
          shopId = undefined;
        else throw error;
      }
      if (!shopId) throw new DomainError("permission_denied", "NO_SHOP", "open a shop first");
      if (shops.size > 10_000) shops.clear();
      shops.set(principal.subject, { shopId, at: Date.now() });
      return shopId;
    },
    async unknownSkus(principal: Principal, shopId: string, skus: readonly string[]) {
      const missing = new Set(skus);
      let cursor = "";
      for (let page = 0; page < MAX_PAGES && missing.size > 0; page++) {
        const res = await client.listProducts(
          { shopId, categoryId: "", page: { limit: 100, cursor } },
          { principal },
        );
        for (const p of res.products) for (const v of p.variants) missing.delete(v.sku);
        cursor = res.page?.nextCursor ?? "";
        if (!cursor) break;
      }
      return [...missing];
    },
  };
}
