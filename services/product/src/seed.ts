// `npm start` runs this once after migrating (the launcher's seed hook): the demo marketplace.
// Idempotent: when demo shops exist it adds nothing.
import { createLogger, createPool } from "@toko/kit";
import { readConfig } from "./config.ts";
import { loadDemo } from "./demo/bulk-load.ts";
import { migrateProduct } from "./start.ts";

/** The seed every demo uses, so every checkout shows the same marketplace. */
export const DEMO_SEED = 20_240_817;

const config = readConfig();
const logger = createLogger({ service: "product-seed", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const pool = createPool({ url: config.DATABASE_URL, applicationName: "product-seed", max: 2 });
try {
  await migrateProduct(pool);
  const { rowCount } = await pool.query("SELECT 1 FROM shops WHERE owner_id LIKE 'demo-seller-%' LIMIT 1");
  if (rowCount === 0) {
    const productCount = config.SEED_PRODUCTS;
    const counts = await loadDemo(pool, {
      seed: DEMO_SEED,
      shopCount: Math.max(1, Math.ceil(productCount / 40)),
      productCount,
    });
    logger.info(counts, "demo marketplace seeded");
  } else {
    logger.info("demo marketplace already present; nothing added");
  }
} finally {
  await pool.end();
}
