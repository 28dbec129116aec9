import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { defineRouteModule } from "../route-module.ts";
import { registerAccountRoutes } from "./account-routes.ts";
import { registerMeRoutes } from "./me-routes.ts";

/** Users: registration, profile, address book, wishlist, password resets — routed to `user`. */
export const usersModule = defineRouteModule({
  service: "user",
  client: UserServiceClient,
  register(app, upstream, settings) {
    registerAccountRoutes(app, upstream, settings.strictRateLimits);
    registerMeRoutes(app, upstream);
  },
});
