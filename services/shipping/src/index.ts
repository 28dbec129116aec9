export { readConfig, type ShippingConfig } from "./config.ts";
export { signWebhook } from "./infrastructure/hmac-webhook-verifier.ts";
export { migrationsDir, type ShippingOverrides, startShipping, webhookSecret } from "./start.ts";
