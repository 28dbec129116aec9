import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient, servicePrincipal } from "@toko/kit";
import type { Catalog } from "../application/ports.ts";
import { variantFromDetail } from "./product-mapping.ts";

// Catalog facts are the same for every caller, and a guest's cart has no principal to forward
// (GetVariants is not callable anonymously): the cart reads them as itself.
const CART_PRINCIPAL = servicePrincipal("cart");

/**
 * The catalog through `toko.product.v1.ProductService`. Variant and shop reads go as the cart
 * service; GetMyShop carries the principal of the call being served (it answers for the caller).
 * Reads are retried as idempotent.
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
      const res = await client.getVariants(
        { variantIds: ids, priceAt: undefined },
        { principal: CART_PRINCIPAL },
      );
      return res.variants.flatMap((d) => variantFromDetail(d) ?? []);
    },
    async shop(shopId) {
      const { shop } = await client.getShop({ shopId, slug: "" }, { principal: CART_PRINCIPAL });
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
