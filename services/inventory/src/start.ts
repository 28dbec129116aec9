import { join } from "node:path";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { bootstrapService, createClient, createOutbox, type Logger, type RunningService } from "@toko/kit";
import type { ShopDirectory } from "./application/ports.ts";
import { PurchaseOrders } from "./application/purchase-orders.ts";
import { EXPIRY_TIMER, Reservations } from "./application/reservations.ts";
import { Restocks } from "./application/restocks.ts";
import { Stock } from "./application/stock.ts";
import { Suppliers } from "./application/suppliers.ts";
import { Warehouses } from "./application/warehouses.ts";
import type { InventoryConfig } from "./config.ts";
import { pgIdempotentWrites } from "./infrastructure/pg-idempotent-writes.ts";
import { createReservePool, pgReserveBatch } from "./infrastructure/pg-reserve.ts";
import { pgStockWriter } from "./infrastructure/pg-stock-writer.ts";
import { productShopDirectory } from "./infrastructure/product-directory.ts";
import { reserveBatcher } from "./infrastructure/reserve-batcher.ts";
import { startRetention } from "./infrastructure/retention.ts";
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
 * Wires inventory on the kit's start-up path: the configured event bus (EVENT_BUS,
 * BUS_DATABASE_URL) and outbox relay, the reservation-expiry timers, the coalescing
 * StockChanged publisher, the retention pruner, Reserve's own pool and the product client,
 * then gRPC.
 */
export function startInventory(
  config: InventoryConfig,
  overrides: InventoryOverrides = {},
): Promise<RunningService> {
  return bootstrapService<InventoryDb>(
    {
      name: "inventory",
      config,
      migrationsDir,
      logger: overrides.logger,
      poolMax: config.DATABASE_POOL_SIZE,
    },
    ({ db, logger, startTimers, onClose }) => {
      const events = outboxInventoryEvents(createOutbox("inventory"));
      // Reserve's own connections (a generic plan prepared once per connection); ended last.
      const reservePool = createReservePool(config.DATABASE_URL, config.RESERVE_POOL_SIZE);
      onClose(() => reservePool.end());
      const product = createClient(ProductServiceClient, config.TOKO_PRODUCT_ADDR, {
        internalSecret: config.TOKO_INTERNAL_SECRET,
        idempotent: ["getMyShop", "getVariantsBySku"],
      });
      onClose(() => product.close());
      const directory = overrides.directory ?? productShopDirectory(product);
      const suppliers = new Suppliers(db);
      const reserve = reserveBatcher(pgReserveBatch(reservePool, EXPIRY_TIMER), {
        maxInFlight: config.RESERVE_POOL_SIZE,
      });
      const reservations = new Reservations(db, pgStockWriter, events, reserve);
      // The kit's durable timers fire expiries (also those that fell due while the service was down).
      startTimers({
        maxSleepMs: config.TIMER_POLL_MS,
        handlers: { [EXPIRY_TIMER]: (timer, trx) => reservations.expire(trx, timer.key) },
      });
      const publisher = startStockChangePublisher({
        db,
        events,
        logger,
        windowMs: config.STOCK_EVENT_WINDOW_MS,
      });
      onClose(() => publisher.stop());
      const retention = startRetention({
        db,
        logger,
        finishedReservationsMs: config.FINISHED_RESERVATION_RETENTION_MS,
        idempotencyKeysMs: config.IDEMPOTENCY_KEY_RETENTION_MS,
        intervalMs: config.RETENTION_INTERVAL_MS,
      });
      onClose(() => retention.stop());
      return {
        services: [
          inventoryGrpcService({
            directory,
            warehouses: new Warehouses(db),
            stock: new Stock(db, pgStockWriter, directory, pgIdempotentWrites),
            suppliers,
            purchaseOrders: new PurchaseOrders(
              db,
              pgStockWriter,
              directory,
              suppliers,
              pgIdempotentWrites,
              overrides.now,
            ),
            reservations,
            restocks: new Restocks(db, pgStockWriter, pgIdempotentWrites),
          }),
        ],
      };
    },
  );
}
