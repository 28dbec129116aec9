import { linksModule } from "./links/index.ts";
import type { RouteModule } from "./route-module.ts";

/** Every service area the gateway routes. A new service's routes are one module added here. */
export const routeModules: readonly RouteModule[] = [linksModule];

export { registerOpsRoutes } from "./ops-routes.ts";
export { defineRouteModule, type RouteModule, type RouteSettings } from "./route-module.ts";
