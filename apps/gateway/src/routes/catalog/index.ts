import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { defineRouteModule } from "../route-module.ts";
import { type ProductJson, registerCatalogRoutes } from "./catalog-routes.ts";
import { registerOwnerRoutes } from "./owner-routes.ts";
import { ProductCache } from "./product-cache.ts";

/** How long a public product page may be served from the gateway's memory. */
const PRODUCT_TTL_MS = 1_000;
const PRODUCT_CACHE_ENTRIES = 20_000;

/** Shops, categories, products, price schedules and reviews, routed to `product`. */
export const catalogModule = defineRouteModule({
  service: "product",
  client: ProductServiceClient,
  register(app, upstream) {
    const cache = new ProductCache<ProductJson>(PRODUCT_TTL_MS, PRODUCT_CACHE_ENTRIES);
    registerCatalogRoutes(app, upstream.client, cache);
    registerOwnerRoutes(app, upstream.client, cache);
  },
});
