import { openServiceResources } from "@toko/kit";
import { sql } from "kysely";
import { reindex } from "./application/reindex.ts";
import { readConfig } from "./config.ts";
import { layOutProjection, pgProjection, pgReindexStore } from "./infrastructure/pg-projection.ts";
import { productFeed } from "./infrastructure/product-feed.ts";
import type { SearchDatabase } from "./infrastructure/schema.ts";
import { migrationsDir } from "./start.ts";

/** Opens the service's database (migrated), reindexes from the catalog and closes everything. */
export async function runReindex(options: { onlyWhenEmpty: boolean }): Promise<void> {
  const config = readConfig();
  // No bus: the reindex neither publishes nor consumes.
  const resources = await openServiceResources<SearchDatabase>({
    name: "search-reindex",
    config: { ...config, EVENT_BUS: "none" },
    migrationsDir,
    poolMax: 2,
  });
  const { db, logger } = resources;
  const feed = productFeed(config.TOKO_PRODUCT_ADDR, config.TOKO_INTERNAL_SECRET);
  try {
    if (options.onlyWhenEmpty) {
      const { rows } = await sql`SELECT 1 FROM search_products LIMIT 1`.execute(db);
      if (rows.length > 0) {
        logger.info("search projection already filled; events keep it current");
        return;
      }
    }
    const started = Date.now();
    const result = await reindex(
      feed,
      (work) => db.transaction().execute((trx) => work(pgProjection(trx))),
      pgReindexStore(db),
      (n) => {
        if (n % 1_000 === 0) logger.info({ indexed: n }, "reindexing");
      },
    );
    await layOutProjection(db);
    logger.info({ ...result, ms: Date.now() - started }, "search projection rebuilt from the catalog");
  } finally {
    feed.close();
    await resources.close();
  }
}
