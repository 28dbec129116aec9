import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

// serviceEnvShape brings LOG_*, GRPC_*, OPS_PORT, SHUTDOWN_GRACE_MS, tracing and TOKO_INTERNAL_SECRET;
// eventBusEnvShape brings EVENT_BUS (postgres | nats | none), BUS_DATABASE_URL and NATS_URL: the outbox
// relay delivers inventory events to that bus (required unless EVENT_BUS=none).
const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The product service (shop of the seller, catalog SKUs). */
  TOKO_PRODUCT_ADDR: z.string().default("127.0.0.1:7053"),
  /** StockChanged coalescing window: at most one event per SKU per window. */
  STOCK_EVENT_WINDOW_MS: env.duration(500),
  /** Longest wait before looking for due reservation expiries (the kit timer runner's max sleep). */
  TIMER_POLL_MS: env.duration(1_000),
  /** Committed, released and expired reservations are kept this long, then pruned (30 days). */
  FINISHED_RESERVATION_RETENTION_MS: env.duration(30 * 86_400_000),
  /** Idempotency keys of stock writes are kept this long (7 days: far past any client retry). */
  IDEMPOTENCY_KEY_RETENTION_MS: env.duration(7 * 86_400_000),
  /** How often the pruning runs. */
  RETENTION_INTERVAL_MS: env.duration(3_600_000),
  /** Database connections (reservations hold a row lock for a few round trips each). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
  /** Reserve statements in flight and their connections (fewer = bigger group commits). */
  RESERVE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
});

/** The inventory service's configuration, parsed once at start-up. */
export type InventoryConfig = z.infer<typeof schema>;

/** Reads and validates the inventory service's environment. */
export function loadInventoryConfig(source?: Record<string, string | undefined>): InventoryConfig {
  return loadConfig("inventory", schema, source);
}
