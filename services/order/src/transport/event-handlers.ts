import { PaymentExpired, PaymentFailed, PaymentSucceeded } from "@toko/contracts/toko/payment/v1/events";
import { ShipmentStatusChanged } from "@toko/contracts/toko/shipping/v1/events";
import { ShipmentKind, ShipmentStatus } from "@toko/contracts/toko/shipping/v1/shipping";
import { type EventConsumers, payloadOf, type Transaction } from "@toko/kit";
import { paymentEnded, paymentSucceeded, shipmentDelivered } from "../application/lifecycle.ts";
import type { OrderDeps, OrderEvents } from "../application/ports.ts";
import { orderTx } from "../infrastructure/pg-order-tx.ts";
import type { OrderDatabase } from "../infrastructure/schema.ts";

export const EVENT_GROUPS = { payments: "order.payments", shipments: "order.shipments" } as const;

/**
 * Payment and shipping outcomes, each recorded in the consumer's transaction with its inbox row
 * (a redelivery changes nothing); the remote steps they start run as durable timers.
 */
export function subscribeEvents(
  consumers: EventConsumers<OrderDatabase>,
  deps: OrderDeps,
  events: (trx: Transaction<OrderDatabase>) => OrderEvents,
): void {
  const tx = (trx: Transaction<OrderDatabase>) => orderTx(trx, events, deps.clock.now);
  consumers.subscribe(
    EVENT_GROUPS.payments,
    ["toko.payment.v1.PaymentSucceeded", "toko.payment.v1.PaymentExpired", "toko.payment.v1.PaymentFailed"],
    async (event, trx) => {
      if (event.type === "toko.payment.v1.PaymentSucceeded") {
        await paymentSucceeded(tx(trx), payloadOf(event, PaymentSucceeded).checkoutId);
      } else if (event.type === "toko.payment.v1.PaymentExpired") {
        await paymentEnded(tx(trx), payloadOf(event, PaymentExpired).checkoutId, "EXPIRED");
      } else {
        await paymentEnded(tx(trx), payloadOf(event, PaymentFailed).checkoutId, "FAILED");
      }
    },
  );
  consumers.subscribe(
    EVENT_GROUPS.shipments,
    ["toko.shipping.v1.ShipmentStatusChanged"],
    async (event, trx) => {
      const change = payloadOf(event, ShipmentStatusChanged);
      if (change.kind === ShipmentKind.SHIPMENT_KIND_RETURN) return;
      if (change.status !== ShipmentStatus.SHIPMENT_STATUS_DELIVERED) return;
      await shipmentDelivered(deps, tx(trx), change.shipmentId, change.occurredAt ?? deps.clock.now());
    },
  );
}
