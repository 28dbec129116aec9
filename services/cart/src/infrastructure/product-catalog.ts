import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient } from "@toko/kit";
import type { Catalog } from "../application/ports.ts";
import { variantFromDetail } from "./product-mapping.ts";

/**
 * The catalog through `toko.product.v1.ProductService`. Calls carry the principal of the call
 * being served (GetMyShop answers for the caller), reads are retried as idempotent.
 */
export function productCatalog(
  address: string,
  internalSecret: string | undefined,
): Catalog & { close(): void } {
  const client = createClient(ProductServiceClient, address, {
    internalSecret,
    deadlineMs: 3_000,
    idempotent: ["getVariants", "getShop", "getMyShop"],
  });
  return {
    async variants(ids) {
      const res = await client.getVariants({ variantIds: ids, priceAt: undefined });
      return res.variants.flatMap((d) => variantFromDetail(d) ?? []);
    },
    async shop(shopId) {
      const { shop } = await client.getShop({ shopId, slug: "" });
      return shop ? { shopId: shop.id, name: shop.name, city: shop.city, province: shop.province } : null;
    },
    async callerShopId() {
      const { shop } = await client.getMyShop({});
      if (!shop) throw new Error("GetMyShop answered without a shop");
      return shop.id;
    },
    close: () => client.close(),
  };
}
