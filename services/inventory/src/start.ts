import { join } from "node:path";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import {
  createClient,
  createDb,
  createLogger,
  createOutbox,
  createPool,
  createPostgresBus,
  type EventBus,
  kitMigrations,
  type Logger,
  migrate,
  type Relay,
  type RunningService,
  readMigrations,
  startRelay,
  startService,
  startTimerRunner,
} from "@toko/kit";
import type { ShopDirectory } from "./application/ports.ts";
import { PurchaseOrders } from "./application/purchase-orders.ts";
import { EXPIRY_TIMER, Reservations } from "./application/reservations.ts";
import { Stock } from "./application/stock.ts";
import { Suppliers } from "./application/suppliers.ts";
import { Warehouses } from "./application/warehouses.ts";
import type { InventoryConfig } from "./config.ts";
import { createReservePool, pgReserveBatch } from "./infrastructure/pg-reserve.ts";
import { pgStockWriter } from "./infrastructure/pg-stock-writer.ts";
import { productShopDirectory } from "./infrastructure/product-directory.ts";
import { reserveBatcher } from "./infrastructure/reserve-batcher.ts";
import type { InventoryDb } from "./infrastructure/schema.ts";
import { startStockChangePublisher } from "./infrastructure/stock-change-publisher.ts";
import { inventoryGrpcService } from "./transport/grpc-inventory.ts";
import { outboxInventoryEvents } from "./transport/inventory-events.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock for purchase orders, a quiet logger, another directory. */
export interface InventoryOverrides {
  now?: () => Date;
  logger?: Logger;
  directory?: ShopDirectory;
}

/**
 * Wires inventory: migrates, builds the use cases, starts the outbox relay (when a bus is
 * configured), the reservation-expiry timers, the coalescing StockChanged publisher and gRPC.
 */
export async function startInventory(
  config: InventoryConfig,
  overrides: InventoryOverrides = {},
): Promise<RunningService> {
  const logger =
    overrides.logger ??
    createLogger({ service: "inventory", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const pool = createPool({
    url: config.DATABASE_URL,
    applicationName: "inventory",
    max: config.DATABASE_POOL_SIZE,
  });
  let bus: EventBus | undefined;
  let relay: Relay | undefined;
  try {
    await migrate(pool, [...kitMigrations, ...readMigrations(migrationsDir)]);
    if (config.BUS_DATABASE_URL) {
      bus = await createPostgresBus({ url: config.BUS_DATABASE_URL });
      relay = startRelay({ pool, bus, logger });
    } else {
      logger.warn(
        "BUS_DATABASE_URL is not set: inventory events stay in the outbox until a bus is configured",
      );
    }
  } catch (error) {
    await bus?.close().catch(() => {});
    await pool.end();
    throw error;
  }
  const db = createDb<InventoryDb>(pool);
  const events = outboxInventoryEvents(createOutbox("inventory"));
  const product = createClient(ProductServiceClient, config.TOKO_PRODUCT_ADDR, {
    internalSecret: config.TOKO_INTERNAL_SECRET,
    idempotent: ["getMyShop", "getVariantsBySku"],
  });
  const directory = overrides.directory ?? productShopDirectory(product);
  const suppliers = new Suppliers(db);
  const reservePool = createReservePool(config.DATABASE_URL, config.RESERVE_POOL_SIZE);
  const reserve = reserveBatcher(pgReserveBatch(reservePool, EXPIRY_TIMER), {
    maxInFlight: config.RESERVE_POOL_SIZE,
  });
  const reservations = new Reservations(db, pgStockWriter, events, reserve);
  // The kit's durable timers fire expiries (also those that fell due while the service was down).
  const timers = startTimerRunner<InventoryDb>({
    db,
    pool,
    logger,
    maxSleepMs: config.TIMER_POLL_MS,
    handlers: { [EXPIRY_TIMER]: (timer, trx) => reservations.expire(trx, timer.key) },
  });
  const publisher = startStockChangePublisher({ db, events, logger, windowMs: config.STOCK_EVENT_WINDOW_MS });
  return startService({
    name: "inventory",
    env: config,
    logger,
    services: [
      inventoryGrpcService({
        directory,
        warehouses: new Warehouses(db),
        stock: new Stock(db, pgStockWriter, directory),
        suppliers,
        purchaseOrders: new PurchaseOrders(db, pgStockWriter, directory, suppliers, overrides.now),
        reservations,
      }),
    ],
    readiness: { database: () => pool.query("SELECT 1") },
    onShutdown: [
      () => timers.stop(),
      () => publisher.stop(),
      async () => relay?.stop(),
      async () => bus?.close(),
      async () => product.close(),
      () => reservePool.end(),
      () => pool.end(),
    ],
  });
}
