import { join } from "node:path";
import {
  createDb,
  createEventBus,
  createEventConsumers,
  createLogger,
  createPool,
  type EventBus,
  type EventConsumers,
  kitMigrations,
  type Logger,
  migrate,
  type Relay,
  type RunningService,
  readMigrations,
  startRelay,
  startService,
  uuidv7,
} from "@toko/kit";
import type pg from "pg";
import type { CategoryIndex } from "./application/category-index.ts";
import type { CatalogDeps } from "./application/deps.ts";
import type { RoleGranter } from "./application/ports.ts";
import type { ProductConfig } from "./config.ts";
import { kitTimerWriter } from "./infrastructure/kit-timers.ts";
import { loadCategoryIndex, pgCatalogReads } from "./infrastructure/pg-catalog-reads.ts";
import { catalogTx, pgUnitOfWork } from "./infrastructure/pg-catalog-tx.ts";
import type { ProductDatabase } from "./infrastructure/schema.ts";
import { userRoleGranter } from "./infrastructure/user-client.ts";
import { productGrpcService } from "./transport/grpc-product-service.ts";
import { subscribeInventoryEvents } from "./transport/inventory-events.ts";
import { subscribeOrderEvents } from "./transport/order-events.ts";
import { outboxEvents } from "./transport/product-events.ts";
import { startProductTimers } from "./transport/timers.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock, a quiet logger, a stand-in role granter. */
export interface ProductOverrides {
  now?: () => Date;
  logger?: Logger;
  roles?: RoleGranter;
}

/** Applies the kit's tables and the catalog's migrations. */
export async function migrateProduct(pool: pg.Pool): Promise<string[]> {
  return migrate(pool, [...kitMigrations, ...readMigrations(migrationsDir)]);
}

/** Builds the use-case dependencies over a database. */
export function catalogDeps(
  pool: pg.Pool,
  roles: RoleGranter,
  now: () => Date = () => new Date(),
): CatalogDeps {
  const db = createDb<ProductDatabase>(pool);
  let categories: Promise<CategoryIndex> | undefined;
  return {
    uow: pgUnitOfWork(db, outboxEvents, kitTimerWriter),
    reads: pgCatalogReads(db, pool),
    roles,
    clock: { now },
    newId: () => uuidv7(),
    categories: () => {
      categories ??= loadCategoryIndex(db).catch((error: unknown) => {
        categories = undefined;
        throw error;
      });
      return categories;
    },
  };
}

/**
 * Wires the product service: migrates, starts the outbox relay, the OrderCompleted and
 * StockChanged consumers and the price/seller timers (when a bus is configured), and serves gRPC plus the ops port.
 */
export async function startProduct(
  config: ProductConfig,
  overrides: ProductOverrides = {},
): Promise<RunningService> {
  const logger =
    overrides.logger ??
    createLogger({ service: "product", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "product", max: 20 });
  const users = overrides.roles
    ? undefined
    : userRoleGranter(config.TOKO_USER_ADDR, config.TOKO_INTERNAL_SECRET);
  const deps = catalogDeps(pool, overrides.roles ?? (users as RoleGranter), overrides.now);
  const db = createDb<ProductDatabase>(pool);
  let bus: EventBus | undefined;
  let relay: Relay | undefined;
  let consumers: EventConsumers<ProductDatabase> | undefined;
  let timers: { stop(): Promise<void> } | undefined;
  try {
    await migrateProduct(pool);
    await deps.categories();
    timers = startProductTimers({ db, pool, deps, logger });
    if (config.EVENT_BUS === "nats" || config.BUS_DATABASE_URL) {
      bus = await createEventBus(config, "product");
      relay = startRelay({ pool, bus, logger });
      consumers = createEventConsumers<ProductDatabase>({ db, pool, bus, logger });
      subscribeOrderEvents(consumers, (trx) => catalogTx(trx, outboxEvents, kitTimerWriter));
      subscribeInventoryEvents(consumers);
      await consumers.start();
    } else {
      logger.warn("BUS_DATABASE_URL is not set: product events stay in the outbox until a bus is configured");
    }
  } catch (error) {
    await timers?.stop().catch(() => {});
    await consumers?.stop().catch(() => {});
    await relay?.stop().catch(() => {});
    await bus?.close().catch(() => {});
    users?.close();
    await pool.end();
    throw error;
  }
  return startService({
    name: "product",
    env: config,
    logger,
    services: [productGrpcService(deps)],
    readiness: { database: () => pool.query("SELECT 1") },
    onShutdown: [
      async () => timers?.stop(),
      async () => consumers?.stop(),
      async () => relay?.stop(),
      async () => bus?.close(),
      async () => users?.close(),
      () => pool.end(),
    ],
    internalSecret: config.TOKO_INTERNAL_SECRET,
  });
}
