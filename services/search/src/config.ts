import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const weight = (fallback: number) => z.coerce.number().min(0).max(100).default(fallback);

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The catalog: the reindex pages through its products. */
  TOKO_PRODUCT_ADDR: env.address().default("127.0.0.1:7053"),
  /** Wishlists, for a signed-in user's recommendations. */
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /** Ranking (relevance sort): score = text·relevance + rating·quality + sales·popularity + freshness·recency. */
  SEARCH_WEIGHT_TEXT: weight(1),
  SEARCH_WEIGHT_RATING: weight(0.3),
  SEARCH_WEIGHT_SALES: weight(0.3),
  SEARCH_WEIGHT_FRESHNESS: weight(0.1),
  /** Days over which a new product's freshness bonus decays to 1/e. */
  SEARCH_FRESHNESS_DAYS: z.coerce.number().min(1).max(3650).default(30),
  /** Sales at which the popularity signal saturates (log scale). */
  SEARCH_SALES_SATURATION: z.coerce.number().int().min(10).max(100_000_000).default(10_000),
  /** Each search, suggest or recommendation query is cancelled after this long. */
  SEARCH_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(20),
});

/** The search service's configuration. */
export type SearchConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): SearchConfig {
  return loadConfig("search", schema, source);
}
