import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { type EventConsumers, payloadOf } from "@toko/kit";
import { recordStock } from "../application/stock-badges.ts";
import { pgStockBadges } from "../infrastructure/pg-stock-badges.ts";
import type { ProductDatabase } from "../infrastructure/schema.ts";

/** Consumer group of the catalog's inventory-event handlers. */
export const INVENTORY_EVENTS_GROUP = "product.stock";

/**
 * Subscribes to `StockChanged`: the variant's stock badge, written in the consumer's
 * transaction together with its inbox row (a redelivered event changes nothing).
 */
export function subscribeInventoryEvents(consumers: EventConsumers<ProductDatabase>): void {
  consumers.subscribe(INVENTORY_EVENTS_GROUP, ["toko.inventory.v1.StockChanged"], async (event, trx) => {
    const stock = payloadOf(event, StockChanged);
    await recordStock(pgStockBadges(trx), {
      shopId: stock.shopId,
      sku: stock.sku,
      available: stock.available,
      reorderPoint: stock.reorderPoint,
      observedAt: stock.occurredAt ?? event.occurredAt ?? new Date(),
    });
  });
}
