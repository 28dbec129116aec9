import { NotificationServiceClient } from "@toko/contracts/toko/notification/v1/notification";
import { defineRouteModule } from "../route-module.ts";
import { registerNotificationRoutes } from "./notification-routes.ts";
import { registerDevMailPages, registerUnsubscribePages } from "./pages.ts";

/** Notifications → `notification`: inbox, preferences, unsubscribe links, campaigns, /dev/mail. */
export const notificationsModule = defineRouteModule({
  service: "notification",
  client: NotificationServiceClient,
  async register(app, upstream, settings) {
    registerNotificationRoutes(app, upstream);
    await registerUnsubscribePages(app, upstream);
    if (settings.development) registerDevMailPages(app, upstream);
  },
});
