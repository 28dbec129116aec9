import { cartModule } from "./cart/index.ts";
import { catalogModule } from "./catalog/index.ts";
import { inventoryModule } from "./inventory/index.ts";
import { linksModule } from "./links/index.ts";
import { notificationsModule } from "./notifications/index.ts";
import { oauth2ProxyModule } from "./oauth2-proxy.ts";
import { ordersModule } from "./orders/index.ts";
import { paymentsModule } from "./payments/index.ts";
import type { RouteModule } from "./route-module.ts";
import { searchModule } from "./search/index.ts";
import { shippingModule } from "./shipping/index.ts";
import { usersModule } from "./users/index.ts";

/** Every service area the gateway routes. A new service's routes are one module added here. */
export const routeModules: readonly RouteModule[] = [
  usersModule,
  oauth2ProxyModule,
  catalogModule,
  inventoryModule,
  cartModule,
  linksModule,
  shippingModule,
  paymentsModule,
  notificationsModule,
  searchModule,
  ordersModule,
];

export { registerOpsRoutes } from "./ops-routes.ts";
export { defineRouteModule, type RouteModule, type RouteSettings } from "./route-module.ts";
