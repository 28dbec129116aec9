import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { defineRouteModule } from "../route-module.ts";
import { registerCatalogRoutes } from "./catalog-routes.ts";
import { registerOwnerRoutes } from "./owner-routes.ts";
import { ProductPageCache } from "./product-cache.ts";

/**
 * How long a public product page may be served from this gateway's memory when nothing tells
 * it otherwise. Scheduled price changes are exact (the service's hint ends the entry at the
 * next schedule start or end) and writes through this gateway evict at once; what this bounds
 * is the rest: edits through another replica, stock badges, ratings and sold counts. Checkout
 * never trusts a displayed price (orders re-price from the product service), so a page up to
 * 30 s old costs at worst a changed price at checkout, while the hot products of a skewed
 * catalog are read thousands of times in that window.
 */
const PRODUCT_TTL_MS = 30_000;
/** ~1–3 KB a page: at most ~64 MiB. */
const PRODUCT_CACHE_ENTRIES = 50_000;
const PRODUCT_CACHE_BYTES = 64 * 1024 * 1024;

/** Shops, categories, products, price schedules and reviews, routed to `product`. */
export const catalogModule = defineRouteModule({
  service: "product",
  client: ProductServiceClient,
  register(app, upstream) {
    const cache = new ProductPageCache({
      ttlMs: PRODUCT_TTL_MS,
      maxEntries: PRODUCT_CACHE_ENTRIES,
      maxBytes: PRODUCT_CACHE_BYTES,
    });
    registerCatalogRoutes(app, upstream.client, cache);
    registerOwnerRoutes(app, upstream.client, cache);
  },
});
