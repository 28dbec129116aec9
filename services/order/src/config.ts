import { ConfigError, env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The cart's one price calculation and voucher holds (called with the buyer's principal). */
  TOKO_CART_ADDR: env.address().default("127.0.0.1:7055"),
  /** Shops (owner, shipping origin) and products (category, for the commission). */
  TOKO_PRODUCT_ADDR: env.address().default("127.0.0.1:7053"),
  /** Stock reservations and restocking. */
  TOKO_INVENTORY_ADDR: env.address().default("127.0.0.1:7054"),
  /** The checkout's payment and refunds. */
  TOKO_PAYMENT_ADDR: env.address().default("127.0.0.1:7057"),
  /** Courier bookings. */
  TOKO_SHIPPING_ADDR: env.address().default("127.0.0.1:7058"),
  /** The buyer's address book. */
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /** How long a checkout's payment stays open (virtual account, e-wallet, card). */
  ORDER_PAYMENT_TTL_MS: env.duration(HOUR_MS),
  /** The seller must accept a paid order within this, else it is cancelled and refunded. */
  ORDER_ACCEPT_WINDOW_MS: env.duration(2 * DAY_MS),
  /** A delivered order completes by itself after this unless the buyer asks for a return. */
  ORDER_COMPLETE_WINDOW_MS: env.duration(3 * DAY_MS),
  /** A checkout the buyer's request did not carry to the payment is finished (or failed) after this. */
  ORDER_CHECKOUT_RESUME_MS: env.duration(30_000),
  /** The platform commission in basis points when the category has no rate of its own (500 = 5%). */
  ORDER_COMMISSION_BPS: z.coerce.number().int().min(0).max(10_000).default(500),
  /**
   * How long a shop's owner and origin and a product's category, as the product service gave
   * them, are reused by later checkouts (0: ask on every checkout). A change reaches new orders
   * within this.
   */
  ORDER_CATALOG_CACHE_MS: env.duration(60_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
  /** How long a saga step claimed by a replica that died waits before another replica runs it. */
  ORDER_TIMER_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /**
   * Fault-injection hook for crash tests: a comma list of saga checkpoints (`reserved`,
   * `payment-created`, `committed`) at which the process kills itself with SIGKILL, as a crash
   * there would. Refused with TOKO_ENV=production.
   */
  ORDER_CRASH_AT: z
    .string()
    .regex(/^[a-z-]*(,[a-z-]+)*$/, "must be a comma list of checkpoints")
    .default(""),
  /**
   * Fault-injection hook for the chaos audit: the saga never releases stock (a cancelled or
   * unpaid checkout keeps its reservation), so `npm run chaos -- --break-compensation` shows the
   * audit catching a broken compensation. Refused with TOKO_ENV=production.
   */
  ORDER_DISABLE_COMPENSATION: env.flag(false),
});

/** The order service's configuration. */
export type OrderConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): OrderConfig {
  const config = loadConfig("order", schema, source);
  if (config.ORDER_CRASH_AT !== "" && config.TOKO_ENV === "production")
    throw new ConfigError("order", [
      { variable: "ORDER_CRASH_AT", message: "is a test hook; not allowed in production" },
    ]);
  if (config.ORDER_DISABLE_COMPENSATION && config.TOKO_ENV === "production")
    throw new ConfigError("order", [
      { variable: "ORDER_DISABLE_COMPENSATION", message: "is a test hook; not allowed in production" },
    ]);
  return config;
}
