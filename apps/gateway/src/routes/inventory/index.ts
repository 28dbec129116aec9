import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { defineRouteModule } from "../route-module.ts";
import { registerPurchasingRoutes } from "./purchasing-routes.ts";
import { registerStockRoutes } from "./stock-routes.ts";

/** Seller center inventory: warehouses, stock, transfers, suppliers, purchase orders → `inventory`. */
export const inventoryModule = defineRouteModule({
  service: "inventory",
  client: InventoryServiceClient,
  register(app, upstream) {
    registerStockRoutes(app, upstream);
    registerPurchasingRoutes(app, upstream);
  },
});
