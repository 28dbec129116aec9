import { OrderServiceClient } from "@toko/contracts/toko/order/v1/order";
import { defineRouteModule } from "../route-module.ts";
import { registerOrderRoutes } from "./order-routes.ts";

/** Checkout, orders, returns and the seller's balance → `order`. */
export const ordersModule = defineRouteModule({
  service: "order",
  client: OrderServiceClient,
  register(app, upstream) {
    registerOrderRoutes(app, upstream);
  },
});
