// `npm start` runs this after migrating and once the product service is ready, before inventory
// starts (the launcher's seed hook). Development only (TOKO_ENV=development): a demo warehouse
// with stock for every demo product, so the demo marketplace can be bought from. Anywhere else
// it does nothing. Idempotent: a second run changes nothing.
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient, createDb, createLogger, createPool } from "@toko/kit";
import { z } from "zod";
import { loadInventoryConfig } from "./config.ts";
import { seedDemoStock } from "./demo/demo-stock.ts";
import { pgStockWriter } from "./infrastructure/pg-stock-writer.ts";
import type { InventoryDb } from "./infrastructure/schema.ts";

const config = loadInventoryConfig();
const logger = createLogger({
  service: "inventory-seed",
  level: config.LOG_LEVEL,
  format: config.LOG_FORMAT,
});
if (config.TOKO_ENV !== "development") {
  logger.info("not development (TOKO_ENV); no demo stock");
} else {
  const demoSellerId = z
    .uuid()
    .optional()
    .parse(process.env.TOKO_DEMO_SELLER_ID || undefined);
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "inventory-seed", max: 2 });
  const product = createClient(ProductServiceClient, config.TOKO_PRODUCT_ADDR, {
    internalSecret: config.TOKO_INTERNAL_SECRET,
    idempotent: ["listProducts", "getShop"],
    deadlineMs: 30_000,
  });
  try {
    await seedDemoStock({
      db: createDb<InventoryDb>(pool),
      writer: pgStockWriter,
      product,
      demoSellerId: demoSellerId?.toLowerCase(),
      logger,
    });
  } finally {
    product.close();
    await pool.end();
  }
}
