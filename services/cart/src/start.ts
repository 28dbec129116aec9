import { join } from "node:path";
import { bootstrapService, createDb, type Logger, type RunningService, uuidv7 } from "@toko/kit";
import type pg from "pg";
import type {
  AddressBook,
  CartDeps,
  CartSettings,
  Catalog,
  RateQuoter,
  StockSource,
} from "./application/ports.ts";
import { CartViewCache } from "./application/view-cache.ts";
import type { CartConfig } from "./config.ts";
import { inventoryStock } from "./infrastructure/inventory-stock.ts";
import { pgCartReads } from "./infrastructure/pg-cart-reads.ts";
import { pgUnitOfWork } from "./infrastructure/pg-cart-tx.ts";
import { pgCartWrites } from "./infrastructure/pg-cart-writes.ts";
import { productCatalog } from "./infrastructure/product-catalog.ts";
import type { CartDatabase } from "./infrastructure/schema.ts";
import { shippingRates } from "./infrastructure/shipping-rates.ts";
import { userAddresses } from "./infrastructure/user-addresses.ts";
import { subscribeEvents } from "./transport/event-handlers.ts";
import { cartGrpcService } from "./transport/grpc-cart-service.ts";
import { cartTimers } from "./transport/timers.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock and a quiet logger. */
export interface CartOverrides {
  now?: () => Date;
  logger?: Logger;
}

/** The operator's rules from the configuration. */
export function cartSettings(config: CartConfig): CartSettings {
  return {
    maxLineQuantity: config.CART_MAX_LINE_QUANTITY,
    maxLines: config.CART_MAX_LINES,
    serviceFee: config.CART_SERVICE_FEE,
    userIdleTtlMs: config.CART_IDLE_TTL_MS,
    guestIdleTtlMs: config.GUEST_CART_IDLE_TTL_MS,
    pruneIntervalMs: config.CART_PRUNE_INTERVAL_MS,
    voucherHoldTtlMs: config.VOUCHER_HOLD_TTL_MS,
    viewCacheSize: config.CART_VIEW_CACHE_SIZE,
  };
}

/** Builds the use-case dependencies over a database and the remote services. */
export function cartDeps(
  pool: pg.Pool,
  remotes: { catalog: Catalog; stock: StockSource; addresses: AddressBook; rates: RateQuoter },
  settings: CartSettings,
  now: () => Date = () => new Date(),
): CartDeps {
  const db = createDb<CartDatabase>(pool);
  return {
    uow: pgUnitOfWork(db),
    reads: pgCartReads(db, pool),
    writes: pgCartWrites(pool),
    views: new CartViewCache(settings.viewCacheSize),
    ...remotes,
    clock: { now },
    newId: () => uuidv7(),
    settings,
  };
}

/**
 * Wires the cart service through the kit's start-up path: migrates, starts the product,
 * inventory and order event consumers (when a bus is configured), the prune timer, and serves
 * gRPC plus the ops port.
 */
export function startCart(config: CartConfig, overrides: CartOverrides = {}): Promise<RunningService> {
  return bootstrapService<CartDatabase>(
    {
      name: "cart",
      config,
      migrationsDir,
      logger: overrides.logger,
      poolMax: config.DATABASE_POOL_SIZE,
    },
    async ({ pool, logger, startConsumers, startTimers, onClose }) => {
      const secret = config.TOKO_INTERNAL_SECRET;
      const catalog = productCatalog(config.TOKO_PRODUCT_ADDR, secret);
      const stock = inventoryStock(config.TOKO_INVENTORY_ADDR, secret, logger);
      const addresses = userAddresses(config.TOKO_USER_ADDR, secret);
      const rates = shippingRates(config.TOKO_SHIPPING_ADDR, secret);
      onClose(() => {
        catalog.close();
        stock.close();
        addresses.close();
        rates.close();
      });
      const deps = cartDeps(pool, { catalog, stock, addresses, rates }, cartSettings(config), overrides.now);
      // The prune runs once at start-up, then reschedules itself.
      await deps.uow.run((tx) => tx.timers.prune(deps.clock.now()));
      startTimers(cartTimers(deps));
      await startConsumers((consumers) => subscribeEvents(consumers, deps.clock));
      return { services: [cartGrpcService(deps)], internalSecret: secret };
    },
  );
}
