import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The public origin: the sandbox's hosted pages live under it. */
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  /** The built-in sandbox provider (simulate, hosted pages). Off in production. */
  PAYMENT_SANDBOX: env.flag(true),
  /**
   * Where the sandbox provider delivers its notifications; by default the gateway's webhook
   * route on the public origin, as a real provider would call it.
   */
  PAYMENT_WEBHOOK_URL: env.url().optional(),
  /**
   * The HMAC key the sandbox signs notifications with and the webhook verifies. When unset it is
   * derived from TOKO_INTERNAL_SECRET, so a development machine needs no extra secret.
   */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** A notification whose timestamp is further than this from now is refused as stale. */
  PAYMENT_WEBHOOK_TOLERANCE_S: z.coerce.number().int().min(10).max(3600).default(300),
  /** Sandbox redelivery after a failed attempt: doubling from the minimum up to the maximum. */
  SANDBOX_RETRY_MIN_MS: env.duration(2_000),
  SANDBOX_RETRY_MAX_MS: env.duration(600_000),
  /** How long the sandbox waits for the webhook to answer (Midtrans waits 15 s). */
  SANDBOX_DELIVERY_TIMEOUT_MS: env.duration(10_000),
  /** Attempts before the sandbox gives a notification up (as real gateways stop retrying). */
  SANDBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(15),
  /** Longest wait before looking for due expiries and sandbox deliveries. */
  TIMER_POLL_MS: env.duration(1_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
  /**
   * Webhook transactions running at once. Notifications arriving while they run queue and share
   * the next transaction, so fewer concurrent transactions mean bigger batches and fewer
   * statements per notification under load; a lone notification still runs at once.
   */
  PAYMENT_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(50).optional(),
  /**
   * How long notifications arriving while a webhook transaction runs may collect into the next
   * one (group commit); an idle service handles a notification at once whatever this is.
   */
  PAYMENT_WEBHOOK_COLLECT_MS: z.coerce.number().int().min(0).max(50).default(1),
});

/** The payment service's configuration, parsed once at start-up. */
export type PaymentConfig = z.infer<typeof schema>;

/** Reads and validates the payment service's environment (the only reader of process.env). */
export function loadPaymentConfig(source?: Record<string, string | undefined>): PaymentConfig {
  return loadConfig("payment", schema, source);
}
