import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { defineRouteModule } from "../route-module.ts";
import { registerPaymentRoutes } from "./payment-routes.ts";
import { registerSandboxPages } from "./sandbox-page-routes.ts";
import { registerWebhookRoute } from "./webhook-route.ts";

/** Payments → `payment`: the payer's view, the sandbox, provider webhooks, reconciliation. */
export const paymentsModule = defineRouteModule({
  service: "payment",
  client: PaymentServiceClient,
  async register(app, upstream) {
    registerPaymentRoutes(app, upstream);
    await registerWebhookRoute(app, upstream);
    await registerSandboxPages(app, upstream);
  },
});
