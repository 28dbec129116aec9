import { join } from "node:path";
import { bootstrapService, type Logger, type RunningService } from "@toko/kit";
import { SearchService } from "./application/search.ts";
import type { SearchConfig } from "./config.ts";
import type { RankingWeights } from "./domain/ranking.ts";
import { PgSearchEngine } from "./infrastructure/pg-search-engine.ts";
import { searchReadDb } from "./infrastructure/read-db.ts";
import type { SearchDatabase } from "./infrastructure/schema.ts";
import { userWishlists } from "./infrastructure/user-wishlist.ts";
import { subscribeEvents } from "./transport/event-handlers.ts";
import { searchGrpcService } from "./transport/grpc-search-service.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock and a quiet logger. */
export interface SearchOverrides {
  now?: () => Date;
  logger?: Logger;
}

/** The ranking weights from the configuration (see domain/ranking.ts). */
export function rankingWeights(config: SearchConfig): RankingWeights {
  return {
    text: config.SEARCH_WEIGHT_TEXT,
    rating: config.SEARCH_WEIGHT_RATING,
    sales: config.SEARCH_WEIGHT_SALES,
    freshness: config.SEARCH_WEIGHT_FRESHNESS,
    freshnessDays: config.SEARCH_FRESHNESS_DAYS,
    salesSaturation: config.SEARCH_SALES_SATURATION,
  };
}

/**
 * Wires the search service through the kit's start-up path: migrates, starts the projection's
 * consumers (product, inventory and order events, when a bus is configured) and serves gRPC plus
 * the ops port.
 */
export function startSearch(config: SearchConfig, overrides: SearchOverrides = {}): Promise<RunningService> {
  return bootstrapService<SearchDatabase>(
    {
      name: "search",
      config,
      migrationsDir,
      logger: overrides.logger,
      poolMax: config.DATABASE_POOL_SIZE,
    },
    async ({ logger, startConsumers, onClose }) => {
      const secret = config.TOKO_INTERNAL_SECRET;
      const wishlists = userWishlists(config.TOKO_USER_ADDR, secret, logger);
      onClose(() => wishlists.close());
      const reads = searchReadDb({
        url: config.DATABASE_URL,
        max: config.DATABASE_POOL_SIZE,
        statementTimeoutMs: config.SEARCH_STATEMENT_TIMEOUT_MS,
        logger,
      });
      onClose(() => reads.close());
      const engine = new PgSearchEngine(reads.db, { weights: rankingWeights(config), now: overrides.now });
      await startConsumers((consumers) => subscribeEvents(consumers));
      return {
        services: [searchGrpcService(new SearchService(engine, engine), wishlists)],
        internalSecret: secret,
      };
    },
  );
}
