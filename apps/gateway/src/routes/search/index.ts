import { SearchServiceClient } from "@toko/contracts/toko/search/v1/search";
import { defineRouteModule } from "../route-module.ts";
import { registerSearchRoutes } from "./search-routes.ts";

/** Search: product search with facets, autocomplete and recommendations, routed to `search`. */
export const searchModule = defineRouteModule({
  service: "search",
  client: SearchServiceClient,
  register(app, upstream) {
    registerSearchRoutes(app, upstream);
  },
});
