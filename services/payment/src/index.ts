export { loadPaymentConfig, type PaymentConfig } from "./config.ts";
export { migrationsDir, type PaymentOverrides, startPayment } from "./start.ts";
