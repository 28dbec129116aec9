import { CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import { defineRouteModule } from "../route-module.ts";
import { registerCartRoutes } from "./cart-routes.ts";
import { registerVoucherRoutes } from "./voucher-routes.ts";

/** The cart (users and guests), vouchers and their management → `cart`. */
export const cartModule = defineRouteModule({
  service: "cart",
  client: CartServiceClient,
  register(app, upstream, settings) {
    registerCartRoutes(app, upstream, settings);
    registerVoucherRoutes(app, upstream);
  },
});
