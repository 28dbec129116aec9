import { LowStock, ReservationExpired, StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import type { Outbox } from "@toko/kit";
import type { InventoryEvents } from "../application/ports.ts";

/** Fully qualified event types on the bus. */
export const STOCK_CHANGED = "toko.inventory.v1.StockChanged";
export const LOW_STOCK = "toko.inventory.v1.LowStock";
export const RESERVATION_EXPIRED = "toko.inventory.v1.ReservationExpired";

/** InventoryEvents over the kit's outbox: events commit with the change or not at all. */
export function outboxInventoryEvents(outbox: Outbox): InventoryEvents {
  return {
    async reservationExpired(trx, checkoutId, expiresAt, lines) {
      const occurredAt = new Date();
      const payload = ReservationExpired.encode({
        checkoutId,
        lines: [...lines],
        expiresAt,
        occurredAt,
      }).finish();
      await outbox.add(trx, [{ type: RESERVATION_EXPIRED, subject: checkoutId, payload, occurredAt }]);
    },
    async stockChanged(trx, totals) {
      const occurredAt = new Date();
      await outbox.add(
        trx,
        totals.map((t) => ({
          type: STOCK_CHANGED,
          subject: `${t.shopId}/${t.sku}`,
          occurredAt,
          payload: StockChanged.encode({ ...t, occurredAt }).finish(),
        })),
      );
    },
    async lowStock(trx, totals) {
      const occurredAt = new Date();
      await outbox.add(
        trx,
        totals.map((t) => ({
          type: LOW_STOCK,
          subject: `${t.shopId}/${t.sku}`,
          occurredAt,
          payload: LowStock.encode({
            shopId: t.shopId,
            sku: t.sku,
            available: t.available,
            reorderPoint: t.reorderPoint,
            occurredAt,
          }).finish(),
        })),
      );
    },
  };
}
