import { DomainError, type Principal } from "@toko/kit";
import type { Db, ShopDirectory, Trx } from "./ports.ts";

/** The seller a request acts for: their shop, and who to write in the ledger. */
export interface Seller {
  shopId: string;
  actor: string;
  principal: Principal;
}

/** The shop's warehouse; UNKNOWN_WAREHOUSE (not found) when it is missing or another shop's. */
export async function ownWarehouse(
  trx: Trx | Db,
  shopId: string,
  warehouseId: string,
  field = "warehouse_id",
) {
  const wh = await trx
    .selectFrom("warehouses")
    .selectAll()
    .where("id", "=", warehouseId)
    .where("shop_id", "=", shopId)
    .executeTakeFirst();
  if (!wh)
    throw new DomainError("not_found", "UNKNOWN_WAREHOUSE", "warehouse not found", [
      { field, message: "no such warehouse in your shop" },
    ]);
  return wh;
}

/**
 * Throws UNKNOWN_SKU unless every SKU is stocked by the shop already or is in its catalog
 * (asked of the product service only for SKUs inventory has never seen).
 */
export async function assertKnownSkus(
  db: Db,
  directory: ShopDirectory,
  seller: Seller,
  skus: readonly string[],
  field = "sku",
): Promise<void> {
  const wanted = [...new Set(skus)];
  if (wanted.length === 0) return;
  const stocked = await db
    .selectFrom("stock_levels")
    .select("sku")
    .distinct()
    .where("shop_id", "=", seller.shopId)
    .where("sku", "in", wanted)
    .execute();
  const seen = new Set(stocked.map((r) => r.sku));
  const unseen = wanted.filter((s) => !seen.has(s));
  if (unseen.length === 0) return;
  const unknown = await directory.unknownSkus(seller.principal, seller.shopId, unseen);
  if (unknown.length > 0)
    throw new DomainError(
      "not_found",
      "UNKNOWN_SKU",
      `unknown SKU: ${unknown.join(", ")}`,
      unknown.map((sku) => ({ field, message: `${sku} is not in your shop's catalog` })),
    );
}
