import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import { type EventConsumers, payloadOf } from "@toko/kit";
import type { Transaction } from "kysely";
import type { CatalogTx } from "../application/ports.ts";
import { recordCompletedOrder } from "../application/reviews.ts";
import type { ProductDatabase } from "../infrastructure/schema.ts";

/** Consumer group of the catalog's order-event handlers. */
export const ORDER_EVENTS_GROUP = "product.orders";

/**
 * Subscribes to `OrderCompleted`: review rights and sold counts, written in the consumer's
 * transaction together with its inbox row (so a redelivered event changes nothing).
 */
export function subscribeOrderEvents(
  consumers: EventConsumers<ProductDatabase>,
  txFor: (trx: Transaction<ProductDatabase>) => CatalogTx,
): void {
  consumers.subscribe(ORDER_EVENTS_GROUP, ["toko.order.v1.OrderCompleted"], async (event, trx) => {
    const order = payloadOf(event, OrderCompleted);
    await recordCompletedOrder(txFor(trx), {
      orderId: order.orderId,
      buyerId: order.buyerId,
      shopId: order.shopId,
      completedAt: order.completedAt ?? event.occurredAt ?? new Date(),
      lines: order.lines.map((l) => ({
        lineId: l.lineId,
        productId: l.productId,
        variantId: l.variantId,
        quantity: l.quantity,
      })),
    });
  });
}
