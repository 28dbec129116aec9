// `npm start` runs this after migrating, before the service starts (the launcher's seed hook).
// Development only (TOKO_ENV=development): the demo marketplace, and the first demo shop handed
// to the demo seller account (TOKO_DEMO_SELLER_ID, which the launcher prints with its password).
// Anywhere else it does nothing. Idempotent: a second run changes nothing.
import { createLogger, createPool } from "@toko/kit";
import { z } from "zod";
import { readConfig } from "./config.ts";
import { loadDemo } from "./demo/bulk-load.ts";
import { firstDemoShopId } from "./demo/generator.ts";
import { migrateProduct } from "./start.ts";

/** The seed every demo uses, so every checkout shows the same marketplace. */
export const DEMO_SEED = 20_240_817;

const config = readConfig();
const logger = createLogger({ service: "product-seed", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
if (config.TOKO_ENV !== "development") {
  logger.info("not development (TOKO_ENV); no demo marketplace");
} else {
  const sellerId = z
    .uuid()
    .optional()
    .parse(process.env.TOKO_DEMO_SELLER_ID || undefined);
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "product-seed", max: 2 });
  try {
    await migrateProduct(pool);
    const firstShop = firstDemoShopId(DEMO_SEED);
    const { rowCount } = await pool.query("SELECT 1 FROM shops WHERE id = $1", [firstShop]);
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
    if (sellerId) await handOverFirstShop(pool, firstShop, sellerId.toLowerCase());
  } finally {
    await pool.end();
  }
}

/** The demo seller owns the first demo shop (one shop per user), so the seller routes show it. */
async function handOverFirstShop(pool: ReturnType<typeof createPool>, shopId: string, sellerId: string) {
  const moved = await pool.query(
    `UPDATE shops SET owner_id = $2, seller_role_granted = true
     WHERE id = $1 AND owner_id <> $2 AND NOT EXISTS (SELECT 1 FROM shops WHERE owner_id = $2)`,
    [shopId, sellerId],
  );
  const { rows } = await pool.query<{ id: string; name: string }>(
    "SELECT id, name FROM shops WHERE owner_id = $1",
    [sellerId],
  );
  const owned = rows[0];
  if (owned?.id === shopId) {
    logger.info(
      { shop_id: shopId, shop: owned.name },
      moved.rowCount ? "demo shop handed to the demo seller" : "demo seller owns the demo shop",
    );
  } else {
    logger.warn(
      { shop_id: owned?.id },
      "the demo seller already owns another shop; the demo shop stays with its generated owner",
    );
  }
}
