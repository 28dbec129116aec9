import { ConfigError, env, eventBusEnvShape, loadConfig, sealingPublicKey, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** Contact details (GetUser). */
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /** Shop owners and categories. */
  TOKO_PRODUCT_ADDR: env.address().default("127.0.0.1:7053"),
  /** Who paid a payment (GetPayment): payment events name no payer. */
  TOKO_PAYMENT_ADDR: env.address().default("127.0.0.1:7057"),
  /** The web app's origin: links in messages, and the unsubscribe endpoint on the gateway. */
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  /** Opens the reset and verification tokens sealed to this service (base64url X25519 key). */
  TOKO_NOTIFICATION_PRIVATE_KEY: z
    .string()
    .refine((k) => {
      try {
        sealingPublicKey(k);
        return true;
      } catch {
        return false;
      }
    }, "must be a base64url X25519 private key")
    .optional(),
  /**
   * The SMTP server, e.g. smtp://user:pass@mail.example:587 (smtps:// for TLS). Required outside
   * development; in development without it, sent email goes to the mail catcher (/dev/mail).
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: z.string().min(3).default("Toko <no-reply@toko.local>"),
  /** The SMS provider adapter; "sandbox" records messages instead of sending them. */
  SMS_PROVIDER: z.enum(["sandbox"]).default("sandbox"),
  /** A campaign's default pace (messages per second) and the most recipients one step queues. */
  CAMPAIGN_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(50),
  CAMPAIGN_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  /** Email retries: attempts before a dead letter, and the backoff doubling from min to max. */
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  EMAIL_RETRY_MIN_MS: env.duration(5_000),
  EMAIL_RETRY_MAX_MS: env.duration(30 * 60_000),
  /** SMS retries (a provider outage is usually short; stale SMS are useless). */
  SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  SMS_RETRY_MIN_MS: env.duration(10_000),
  SMS_RETRY_MAX_MS: env.duration(10 * 60_000),
  /** Events handled per consumer transaction when the bus read that many together (1: one each). */
  EVENT_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(50),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
});

/** The notification service's configuration. */
export type NotificationConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): NotificationConfig {
  const config = loadConfig("notification", schema, source);
  if (!config.SMTP_URL && config.TOKO_ENV !== "development") {
    throw new ConfigError("notification", [
      {
        variable: "SMTP_URL",
        message: "is required outside development (TOKO_ENV=development uses the mail catcher)",
      },
    ]);
  }
  return config;
}
