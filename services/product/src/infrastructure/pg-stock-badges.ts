import { sql, type Transaction } from "kysely";
import type { StockBadgeStore } from "../application/stock-badges.ts";
import type { ProductDatabase } from "./schema.ts";

/** Stock badges on the variants table, in the caller's transaction. */
export function pgStockBadges(trx: Transaction<ProductDatabase>): StockBadgeStore {
  return {
    async set(shopId, sku, status, observedAt) {
      // The unique index (shop_id, lower(sku)) finds the row; equal instants apply (later delivery wins).
      const result = await trx
        .updateTable("variants")
        .set({ stock_status: status, stock_observed_at: observedAt })
        .where("shop_id", "=", shopId)
        .where(sql<string>`lower(sku)`, "=", sku.toLowerCase())
        .where((eb) =>
          eb.or([eb("stock_observed_at", "is", null), eb("stock_observed_at", "<=", observedAt)]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
