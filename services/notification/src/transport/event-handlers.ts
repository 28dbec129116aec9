import { LowStock } from "@toko/contracts/toko/inventory/v1/events";
import {
  OrderAccepted,
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  OrderPaid,
  OrderPlaced,
  OrderRefunded,
  OrderShipped,
  ReturnApproved,
  ReturnRejected,
  ReturnRequested,
} from "@toko/contracts/toko/order/v1/events";
import { PaymentFailed, RefundSucceeded } from "@toko/contracts/toko/payment/v1/events";
import { ShipmentStatusChanged } from "@toko/contracts/toko/shipping/v1/events";
import { ShipmentKind, ShipmentStatus } from "@toko/contracts/toko/shipping/v1/shipping";
import {
  EmailVerificationRequested,
  PasswordResetRequested,
  type SealedToken,
  UserRegistered,
} from "@toko/contracts/toko/user/v1/events";
import { type EventConsumers, payloadOf, type ReceivedEvent } from "@toko/kit";
import { handleEvent } from "../application/dispatch.ts";
import type { NotificationDeps } from "../application/ports.ts";
import type { SealedLink } from "../domain/model.ts";
import type { NotificationEvent } from "../domain/plan.ts";
import { notificationTx } from "../infrastructure/pg-tx.ts";
import type { NotificationDatabase } from "../infrastructure/schema.ts";

/** Consumer groups of the service. */
export const EVENT_GROUPS = {
  users: "notification.users",
  orders: "notification.orders",
  payments: "notification.payments",
  shipping: "notification.shipping",
  inventory: "notification.inventory",
} as const;

const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");

/** The sealed token as stored (still sealed), with the purpose and user it is bound to. */
function sealedLink(
  sealed: SealedToken | undefined,
  prefix: string,
  purpose: string,
  userId: string,
): SealedLink | undefined {
  if (!sealed || sealed.ciphertext.length === 0 || !prefix) return undefined;
  return {
    prefix,
    context: `${purpose}:${userId}`,
    sealed: {
      keyId: sealed.keyId,
      ephemeralPublicKey: b64(sealed.ephemeralPublicKey),
      nonce: b64(sealed.nonce),
      ciphertext: b64(sealed.ciphertext),
    },
  };
}

const money = (m: { amount: number } | undefined): number => Number(m?.amount ?? 0);

/** How one event type is read: its consumer group and its decoding into the domain's event. */
interface EventRoute {
  group: (typeof EVENT_GROUPS)[keyof typeof EVENT_GROUPS];
  decode(event: ReceivedEvent): NotificationEvent;
}

/** Every event type the service consumes. */
const ROUTES: Record<string, EventRoute> = {
  "toko.user.v1.UserRegistered": {
    group: EVENT_GROUPS.users,
    decode(event) {
      const e = payloadOf(event, UserRegistered);
      return { type: "UserRegistered", eventId: event.id, userId: e.userId, name: e.name };
    },
  },
  "toko.user.v1.EmailVerificationRequested": {
    group: EVENT_GROUPS.users,
    decode(event) {
      const e = payloadOf(event, EmailVerificationRequested);
      return {
        type: "EmailVerificationRequested",
        eventId: event.id,
        userId: e.userId,
        email: e.email,
        name: e.name,
        expiresAt: e.expiresAt,
        link: sealedLink(e.sealedToken, e.linkPrefix, "verify_email", e.userId),
      };
    },
  },
  "toko.user.v1.PasswordResetRequested": {
    group: EVENT_GROUPS.users,
    decode(event) {
      const e = payloadOf(event, PasswordResetRequested);
      return {
        type: "PasswordResetRequested",
        eventId: event.id,
        userId: e.userId,
        email: e.email,
        name: e.name,
        expiresAt: e.expiresAt,
        link: sealedLink(e.sealedToken, e.linkPrefix, "reset_password", e.userId),
      };
    },
  },
  "toko.order.v1.OrderPlaced": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderPlaced);
      const p = e.payment;
      const instructions: Record<string, string> = {};
      if (p?.instructions)
        for (const [k, v] of Object.entries(p.instructions)) instructions[k] = String(v ?? "");
      return {
        type: "OrderPlaced",
        orderId: e.orderId,
        buyerId: e.buyerId,
        shopId: e.shopId,
        total: money(e.amounts?.total),
        payment: p
          ? {
              method: p.method,
              channel: p.channel,
              amount: money(p.amount),
              expiresAt: p.expiresAt,
              instructions,
            }
          : undefined,
      };
    },
  },
  "toko.order.v1.OrderPaid": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderPaid);
      return {
        type: "OrderPaid",
        orderId: e.orderId,
        buyerId: e.buyerId,
        shopId: e.shopId,
        total: money(e.amounts?.total),
        items: e.lines.reduce((n, l) => n + l.quantity, 0),
      };
    },
  },
  "toko.order.v1.OrderCancelled": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderCancelled);
      return {
        type: "OrderCancelled",
        orderId: e.orderId,
        buyerId: e.buyerId,
        shopId: e.shopId,
        reason: e.reason,
      };
    },
  },
  "toko.order.v1.OrderAccepted": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderAccepted);
      return { type: "OrderAccepted", orderId: e.orderId, buyerId: e.buyerId, shopId: e.shopId };
    },
  },
  "toko.order.v1.OrderShipped": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderShipped);
      return {
        type: "OrderShipped",
        orderId: e.orderId,
        buyerId: e.buyerId,
        shopId: e.shopId,
        awb: e.awb,
        carrier: e.carrier,
        service: e.service,
      };
    },
  },
  "toko.order.v1.OrderDelivered": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderDelivered);
      return {
        type: "OrderDelivered",
        orderId: e.orderId,
        buyerId: e.buyerId,
        shopId: e.shopId,
        completeBy: e.completeBy,
      };
    },
  },
  "toko.order.v1.OrderCompleted": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderCompleted);
      return { type: "OrderCompleted", orderId: e.orderId, buyerId: e.buyerId, shopId: e.shopId };
    },
  },
  "toko.order.v1.OrderRefunded": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, OrderRefunded);
      return {
        type: "OrderRefunded",
        eventId: event.id,
        orderId: e.orderId,
        buyerId: e.buyerId,
        amount: money(e.amount),
        reason: e.reason,
        returnId: e.returnId,
      };
    },
  },
  "toko.order.v1.ReturnRequested": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, ReturnRequested);
      return {
        type: "ReturnRequested",
        returnId: e.returnId,
        orderId: e.orderId,
        shopId: e.shopId,
        reason: e.reason,
      };
    },
  },
  "toko.order.v1.ReturnApproved": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, ReturnApproved);
      return { type: "ReturnApproved", returnId: e.returnId, orderId: e.orderId, buyerId: e.buyerId };
    },
  },
  "toko.order.v1.ReturnRejected": {
    group: EVENT_GROUPS.orders,
    decode(event) {
      const e = payloadOf(event, ReturnRejected);
      return {
        type: "ReturnRejected",
        returnId: e.returnId,
        orderId: e.orderId,
        buyerId: e.buyerId,
        reason: e.reason,
      };
    },
  },
  "toko.payment.v1.PaymentFailed": {
    group: EVENT_GROUPS.payments,
    decode(event) {
      const e = payloadOf(event, PaymentFailed);
      return { type: "PaymentFailed", paymentId: e.paymentId, checkoutId: e.checkoutId, reason: e.reason };
    },
  },
  "toko.payment.v1.RefundSucceeded": {
    group: EVENT_GROUPS.payments,
    decode(event) {
      const e = payloadOf(event, RefundSucceeded);
      return {
        type: "RefundSucceeded",
        refundId: e.refundId,
        paymentId: e.paymentId,
        checkoutId: e.checkoutId,
        orderId: e.orderId,
        amount: money(e.amount),
        reason: e.reason,
        automatic: e.automatic,
      };
    },
  },
  "toko.shipping.v1.ShipmentStatusChanged": {
    group: EVENT_GROUPS.shipping,
    decode(event) {
      const e = payloadOf(event, ShipmentStatusChanged);
      return {
        type: "ShipmentStatusChanged",
        shipmentId: e.shipmentId,
        orderId: e.orderId,
        buyerId: e.buyerId,
        awb: e.awb,
        status:
          e.status === ShipmentStatus.SHIPMENT_STATUS_OUT_FOR_DELIVERY
            ? "out_for_delivery"
            : e.status === ShipmentStatus.SHIPMENT_STATUS_DELIVERY_FAILED
              ? "delivery_failed"
              : "other",
        outbound: e.kind === ShipmentKind.SHIPMENT_KIND_OUTBOUND,
      };
    },
  },
  "toko.inventory.v1.LowStock": {
    group: EVENT_GROUPS.inventory,
    decode(event) {
      const e = payloadOf(event, LowStock);
      return {
        type: "LowStock",
        eventId: event.id,
        shopId: e.shopId,
        sku: e.sku,
        available: Number(e.available),
        reorderPoint: Number(e.reorderPoint),
      };
    },
  },
};

/** Proto event → the domain's event; undefined for types this service ignores. */
export function decodeEvent(event: ReceivedEvent): NotificationEvent | undefined {
  return ROUTES[event.type]?.decode(event);
}

/**
 * Subscribes the consumers. Each event's messages (and, for OrderCompleted, the purchases
 * campaigns segment on) are written in the consumer's transaction with its inbox row: a
 * redelivered event changes nothing, and the keys (message, recipient, channel) make a
 * re-published fact a no-op too. The handler only writes (recipients it cannot name yet are
 * looked up by timers), so events read together go through in shared transactions of up to
 * `batch` (the kit falls back to one by one when such a transaction fails; 1 = one per event).
 */
export function subscribeEvents(
  consumers: EventConsumers<NotificationDatabase>,
  deps: NotificationDeps,
  batch: number,
): void {
  const handler = async (event: ReceivedEvent, trx: Parameters<typeof notificationTx>[0]) => {
    const tx = notificationTx(trx);
    const now = deps.clock.now();
    if (event.type === "toko.order.v1.OrderCompleted") {
      const e = payloadOf(event, OrderCompleted);
      for (const line of e.lines) {
        await tx.purchases.add({
          orderId: e.orderId,
          lineId: line.lineId,
          buyerId: e.buyerId,
          productId: line.productId,
          completedAt: e.completedAt ?? event.occurredAt ?? now,
        });
      }
    }
    const decoded = decodeEvent(event);
    if (decoded) await handleEvent(tx, decoded, { now, newId: deps.newId });
  };
  for (const group of Object.values(EVENT_GROUPS)) {
    const types = Object.keys(ROUTES).filter((type) => ROUTES[type]?.group === group);
    consumers.subscribe(group, types, handler, { batch });
  }
}
