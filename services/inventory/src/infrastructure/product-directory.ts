import type { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { DomainError, type Principal, type PromiseClient } from "@toko/kit";
import type { ShopDirectory } from "../application/ports.ts";

const SHOP_CACHE_MS = 60_000;
/** GetVariantsBySku answers at most this many SKUs per call. */
const MAX_SKUS_PER_CALL = 500;

/**
 * The product service as inventory's shop directory: the seller's shop from GetMyShop (one
 * shop per user, so cached briefly) and SKUs from GetVariantsBySku (any product status).
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
      const unknown: string[] = [];
      for (let i = 0; i < skus.length; i += MAX_SKUS_PER_CALL) {
        const chunk = skus.slice(i, i + MAX_SKUS_PER_CALL);
        const res = await client.getVariantsBySku({ shopId, skus: chunk }, { principal });
        // Drafts, archived products and retired variants still name the SKU. The catalog matches
        // case-insensitively; stock is kept under the catalog's exact spelling, so another
        // spelling is unknown here rather than a second, unreservable level.
        const exact = new Set(res.variants.filter((v) => v.sku === v.requestedSku).map((v) => v.sku));
        for (const sku of chunk) if (!exact.has(sku)) unknown.push(sku);
      }
      return unknown;
    },
  };
}
