import { join } from "node:path";
import {
  bootstrapService,
  createDb,
  kitMigrations,
  type Logger,
  migrate,
  type RunningService,
  readMigrations,
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
import { productTimers } from "./transport/timers.ts";

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
 * Wires the product service through the kit's start-up path: migrates, starts the outbox relay
 * and the OrderCompleted and StockChanged consumers (when a bus is configured, see
 * `eventBusEnvShape`), the price/seller timers, and serves gRPC plus the ops port.
 */
export function startProduct(
  config: ProductConfig,
  overrides: ProductOverrides = {},
): Promise<RunningService> {
  return bootstrapService<ProductDatabase>(
    { name: "product", config, migrationsDir, logger: overrides.logger, poolMax: 20 },
    async ({ pool, startConsumers, startTimers, onClose }) => {
      let roles = overrides.roles;
      if (!roles) {
        const users = userRoleGranter(config.TOKO_USER_ADDR, config.TOKO_INTERNAL_SECRET);
        onClose(() => users.close());
        roles = users;
      }
      const deps = catalogDeps(pool, roles, overrides.now);
      // Load the category tree now: a broken catalog fails the start, not the first request.
      await deps.categories();
      startTimers(productTimers(deps));
      await startConsumers((consumers) => {
        subscribeOrderEvents(consumers, (trx) => catalogTx(trx, outboxEvents, kitTimerWriter));
        subscribeInventoryEvents(consumers);
      });
      return { services: [productGrpcService(deps)], internalSecret: config.TOKO_INTERNAL_SECRET };
    },
  );
}
