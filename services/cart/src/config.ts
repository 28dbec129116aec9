import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const DAY_MS = 24 * 3600_000;

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The catalog: variants and shops, fetched when a variant is first added. */
  TOKO_PRODUCT_ADDR: env.address().default("127.0.0.1:7053"),
  /** Available stock, read when a variant first enters the catalog projection. */
  TOKO_INVENTORY_ADDR: env.address().default("127.0.0.1:7054"),
  /** Address book (shipping destination, checked for ownership there). */
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /** Carrier quotes. */
  TOKO_SHIPPING_ADDR: env.address().default("127.0.0.1:7058"),
  /** The most units one line may hold (stock, once known, may allow fewer). */
  CART_MAX_LINE_QUANTITY: z.coerce.number().int().min(1).max(100_000).default(999),
  /** At most this many lines per cart. */
  CART_MAX_LINES: z.coerce.number().int().min(1).max(1_000).default(200),
  /** Rupiah charged once per checkout that buys anything. */
  CART_SERVICE_FEE: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
  /** A signed-in user's cart untouched this long is deleted. */
  CART_IDLE_TTL_MS: env.duration(60 * DAY_MS),
  /** A guest's cart untouched this long is deleted (and its token stops working). */
  GUEST_CART_IDLE_TTL_MS: env.duration(14 * DAY_MS),
  /** How often idle carts and expired voucher holds are pruned. */
  CART_PRUNE_INTERVAL_MS: env.duration(3600_000),
  /** A voucher hold's lifetime when the checkout names none. */
  VOUCHER_HOLD_TTL_MS: env.duration(3600_000),
  /** Priced carts kept per process for repeated reads (0 turns the cache off). */
  CART_VIEW_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(5_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
});

/** The cart service's configuration. */
export type CartConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): CartConfig {
  return loadConfig("cart", schema, source);
}
