import type { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { type Logger, type PromiseClient, servicePrincipal } from "@toko/kit";
import { sql } from "kysely";
import { newId } from "../application/ids.ts";
import type { Db, StockWriter } from "../application/ports.ts";

/** Units of every demo SKU in its shop's demo warehouse. */
export const DEMO_UNITS = 100;
/** Owners the product service's demo generator gives its shops. */
const GENERATED_OWNER = /^demo-seller-\d+$/;
const principal = servicePrincipal("inventory");

/**
 * Gives every demo shop (generated owner, or the demo seller's) that has no warehouse yet one
 * demo warehouse, its default, holding DEMO_UNITS of every variant of its active products: a
 * ledger adjustment per SKU, through the same writer as a seller's adjustment, so levels equal
 * the ledger and StockChanged follows. One transaction per shop; a shop that has a warehouse
 * (the demo one from an earlier run, or one its seller made) is left alone, so a second run
 * changes nothing. The catalog comes from the product service, which owns it.
 */
export async function seedDemoStock(deps: {
  db: Db;
  writer: StockWriter;
  product: PromiseClient<ProductServiceClient>;
  demoSellerId: string | undefined;
  logger: Logger;
}): Promise<{ shops: number; skus: number }> {
  const skusByShop = new Map<string, Set<string>>();
  let cursor = "";
  do {
    const res = await deps.product.listProducts(
      { shopId: "", categoryId: "", page: { limit: 100, cursor } },
      {
        principal,
      },
    );
    for (const p of res.products) {
      const skus = skusByShop.get(p.shopId) ?? new Set<string>();
      for (const v of p.variants) skus.add(v.sku);
      skusByShop.set(p.shopId, skus);
    }
    cursor = res.page?.nextCursor ?? "";
  } while (cursor !== "");
  const stocked = new Set(
    (await deps.db.selectFrom("warehouses").select("shop_id").distinct().execute()).map((r) => r.shop_id),
  );
  let shops = 0;
  let skuCount = 0;
  for (const [shopId, skus] of skusByShop) {
    if (stocked.has(shopId) || skus.size === 0) continue;
    const shop = (await deps.product.getShop({ shopId, slug: "" }, { principal })).shop;
    if (!shop) continue;
    const isDemo = GENERATED_OWNER.test(shop.ownerId) || shop.ownerId === deps.demoSellerId;
    if (!isDemo) continue;
    const added = await deps.db.transaction().execute(async (trx) => {
      // The same per-shop lock as creating a warehouse: a seller's first warehouse and this one
      // cannot both become the default.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`warehouses:${shopId}`}))`.execute(trx);
      const any = await trx
        .selectFrom("warehouses")
        .select("id")
        .where("shop_id", "=", shopId)
        .executeTakeFirst();
      if (any) return 0;
      const warehouseId = newId("wh");
      await trx
        .insertInto("warehouses")
        .values({
          id: warehouseId,
          shop_id: shopId,
          name: `Gudang ${shop.city}`,
          address: `Jl. Demo No. 1, ${shop.city}`,
          city: shop.city,
          province: shop.province,
          is_default: true,
        })
        .execute();
      await deps.writer.apply(
        trx,
        [...skus].map((sku) => ({
          shopId,
          warehouseId,
          sku,
          onHandDelta: DEMO_UNITS,
          reservedDelta: 0,
          reason: "adjustment" as const,
          actor: "seed",
          note: "demo stock",
        })),
      );
      return skus.size;
    });
    if (added > 0) {
      shops += 1;
      skuCount += added;
    }
  }
  deps.logger.info(
    { shops, skus: skuCount },
    shops > 0 ? "demo stock seeded" : "demo stock already present; nothing added",
  );
  return { shops, skus: skuCount };
}
