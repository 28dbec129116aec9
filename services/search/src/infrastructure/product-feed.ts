import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient, servicePrincipal } from "@toko/kit";
import type { CatalogFeed } from "../application/ports.ts";
import { docFromProduct } from "../transport/product-mapping.ts";

const SEARCH_PRINCIPAL = servicePrincipal("search");
const PAGE = 100;

/** Every active product of the catalog, through ProductService.ListProducts pages (newest first). */
export function productFeed(
  address: string,
  internalSecret: string | undefined,
): CatalogFeed & { close(): void } {
  const client = createClient(ProductServiceClient, address, {
    internalSecret,
    deadlineMs: 30_000,
    idempotent: ["listProducts"],
  });
  return {
    async *pages() {
      let cursor = "";
      do {
        const res = await client.listProducts(
          { shopId: "", categoryId: "", page: { limit: PAGE, cursor } },
          { principal: SEARCH_PRINCIPAL },
        );
        yield res.products.map(docFromProduct);
        cursor = res.page?.nextCursor ?? "";
      } while (cursor);
    },
    close: () => client.close(),
  };
}
