import { ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import { defineRouteModule } from "../route-module.ts";
import { registerShippingRoutes } from "./shipping-routes.ts";

/** Shipping: public rate quotes, shipment tracking and carrier webhooks, routed to `shipping`. */
export const shippingModule = defineRouteModule({
  service: "shipping",
  client: ShippingServiceClient,
  register(app, upstream) {
    registerShippingRoutes(app, upstream);
  },
});
