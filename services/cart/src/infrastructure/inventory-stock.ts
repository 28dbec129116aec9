import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { createClient, type Logger } from "@toko/kit";
import type { StockSource } from "../application/ports.ts";

/**
 * Available stock through `toko.inventory.v1.InventoryService/GetAvailability` (callable without
 * a principal, so asked without one; retried as idempotent). A failure is logged and answered
 * with null: the stock stays unknown until inventory's next StockChanged, and the add goes on.
 */
export function inventoryStock(
  address: string,
  internalSecret: string | undefined,
  logger: Pick<Logger, "warn">,
): StockSource & { close(): void } {
  const client = createClient(InventoryServiceClient, address, {
    internalSecret,
    deadlineMs: 1_500,
    idempotent: ["getAvailability"],
  });
  return {
    async availability(items) {
      if (items.length === 0) return [];
      try {
        const res = await client.getAvailability({ items }, { principal: null });
        return res.items.map((i) => ({ shopId: i.shopId, sku: i.sku, available: i.available }));
      } catch (error) {
        logger.warn(
          { err: error, skus: items.length },
          "stock availability unavailable; stock stays unknown",
        );
        return null;
      }
    },
    close: () => client.close(),
  };
}
