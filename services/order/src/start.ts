import { join } from "node:path";
import {
  bootstrapService,
  createDb,
  type Logger,
  type RunningService,
  type Transaction,
  uuidv7,
} from "@toko/kit";
import type { OrderDeps, OrderEvents, OrderSettings } from "./application/ports.ts";
import type { OrderConfig } from "./config.ts";
import { cachedCatalog } from "./infrastructure/cached-catalog.ts";
import { orderEvents } from "./infrastructure/order-events.ts";
import { pgOrderReads, pgUnitOfWork } from "./infrastructure/pg-order-tx.ts";
import {
  addressBook,
  cartPricing,
  inventoryClient,
  paymentsClient,
  productCatalog,
  shippingClient,
} from "./infrastructure/remotes.ts";
import type { OrderDatabase } from "./infrastructure/schema.ts";
import { subscribeEvents } from "./transport/event-handlers.ts";
import { orderGrpcService } from "./transport/grpc-order-service.ts";
import { orderTimers } from "./transport/timers.ts";

/** Shops and products the catalog cache holds at most (each a few hundred bytes). */
const CATALOG_CACHE_ENTRIES = 10_000;

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock and a quiet logger. */
export interface OrderOverrides {
  now?: () => Date;
  logger?: Logger;
}

export function orderSettings(config: OrderConfig): OrderSettings {
  return {
    paymentTtlMs: config.ORDER_PAYMENT_TTL_MS,
    acceptWindowMs: config.ORDER_ACCEPT_WINDOW_MS,
    completeWindowMs: config.ORDER_COMPLETE_WINDOW_MS,
    resumeAfterMs: config.ORDER_CHECKOUT_RESUME_MS,
    defaultCommissionBps: config.ORDER_COMMISSION_BPS,
  };
}

/** The crash-test hook: dies at the configured checkpoints, exactly as a power cut would. */
function crashAt(list: string): OrderDeps["checkpoint"] {
  const points = new Set(list.split(",").filter((p) => p !== ""));
  if (points.size === 0) return () => {};
  return (name) => {
    if (points.has(name)) process.kill(process.pid, "SIGKILL");
  };
}

/** The chaos hook (ORDER_DISABLE_COMPENSATION): releases report success and do nothing. */
function withCompensation<T extends { release(checkoutId: string): Promise<"released" | "committed"> }>(
  inventory: T,
  enabled: boolean,
): T {
  return enabled ? inventory : { ...inventory, release: async () => "released" as const };
}

/**
 * Wires the order service through the kit's start-up path: migrates, starts the payment and
 * shipping consumers and the saga's timers, and serves gRPC plus the ops port.
 */
export function startOrder(config: OrderConfig, overrides: OrderOverrides = {}): Promise<RunningService> {
  return bootstrapService<OrderDatabase>(
    { name: "order", config, migrationsDir, logger: overrides.logger, poolMax: config.DATABASE_POOL_SIZE },
    async ({ pool, startConsumers, startTimers, onClose }) => {
      const secret = config.TOKO_INTERNAL_SECRET;
      const now = overrides.now ?? (() => new Date());
      const remotes = {
        cart: cartPricing(config.TOKO_CART_ADDR, secret),
        catalog: productCatalog(config.TOKO_PRODUCT_ADDR, secret),
        addresses: addressBook(config.TOKO_USER_ADDR, secret),
        inventory: withCompensation(
          inventoryClient(config.TOKO_INVENTORY_ADDR, secret),
          !config.ORDER_DISABLE_COMPENSATION,
        ),
        payments: paymentsClient(config.TOKO_PAYMENT_ADDR, secret),
        shipping: shippingClient(config.TOKO_SHIPPING_ADDR, secret),
      };
      onClose(() => {
        for (const r of Object.values(remotes)) r.close();
      });
      const db = createDb<OrderDatabase>(pool);
      const events = (trx: Transaction<OrderDatabase>): OrderEvents => orderEvents(trx, now);
      const deps: OrderDeps = {
        uow: pgUnitOfWork(db, events, now),
        reads: pgOrderReads(db),
        ...remotes,
        catalog: cachedCatalog(remotes.catalog, {
          ttlMs: config.ORDER_CATALOG_CACHE_MS,
          maxEntries: CATALOG_CACHE_ENTRIES,
        }),
        clock: { now },
        newId: () => uuidv7(),
        settings: orderSettings(config),
        checkpoint: crashAt(config.ORDER_CRASH_AT),
      };
      startTimers({ ...orderTimers(deps, events), leaseMs: config.ORDER_TIMER_LEASE_MS });
      await startConsumers((consumers) => subscribeEvents(consumers, deps, events));
      return { services: [orderGrpcService(deps)], internalSecret: secret };
    },
  );
}
