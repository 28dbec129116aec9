import type { Message, SealedLink } from "./model.ts";

/** Money as events carry it (integer rupiah). */
export interface Amount {
  amount: number;
}

/** The events that cause messages, as the transport decodes them. */
export type NotificationEvent =
  | { type: "UserRegistered"; eventId: string; userId: string; name: string }
  | {
      type: "EmailVerificationRequested" | "PasswordResetRequested";
      eventId: string;
      userId: string;
      email: string;
      name: string;
      expiresAt: Date | undefined;
      link: SealedLink | undefined;
    }
  | {
      type: "OrderPlaced";
      orderId: string;
      buyerId: string;
      shopId: string;
      total: number;
      payment:
        | {
            method: string;
            channel: string;
            amount: number;
            expiresAt: Date | undefined;
            instructions: Record<string, string>;
          }
        | undefined;
    }
  | { type: "OrderPaid"; orderId: string; buyerId: string; shopId: string; total: number; items: number }
  | { type: "OrderCancelled"; orderId: string; buyerId: string; shopId: string; reason: string }
  | { type: "OrderAccepted"; orderId: string; buyerId: string; shopId: string }
  | {
      type: "OrderShipped";
      orderId: string;
      buyerId: string;
      shopId: string;
      awb: string;
      carrier: string;
      service: string;
    }
  | { type: "OrderDelivered"; orderId: string; buyerId: string; shopId: string; completeBy: Date | undefined }
  | { type: "OrderCompleted"; orderId: string; buyerId: string; shopId: string }
  | {
      type: "OrderRefunded";
      eventId: string;
      orderId: string;
      buyerId: string;
      amount: number;
      reason: string;
      returnId: string;
    }
  | { type: "PaymentFailed"; paymentId: string; checkoutId: string; reason: string }
  | {
      type: "RefundSucceeded";
      refundId: string;
      paymentId: string;
      checkoutId: string;
      /** Empty for a refund not made for one order (automatic refunds). */
      orderId: string;
      amount: number;
      reason: string;
      automatic: boolean;
    }
  | { type: "ReturnRequested"; returnId: string; orderId: string; shopId: string; reason: string }
  | { type: "ReturnApproved"; returnId: string; orderId: string; buyerId: string }
  | { type: "ReturnRejected"; returnId: string; orderId: string; buyerId: string; reason: string }
  | {
      type: "ShipmentStatusChanged";
      shipmentId: string;
      orderId: string;
      buyerId: string;
      awb: string;
      status: "out_for_delivery" | "delivery_failed" | "other";
      outbound: boolean;
    }
  | {
      type: "LowStock";
      eventId: string;
      shopId: string;
      sku: string;
      available: number;
      reorderPoint: number;
    };

const iso = (d: Date | undefined): string => (d ? d.toISOString() : "");

/**
 * Which messages an event causes, for whom and on which channels. Keys name the business fact
 * (the order and the step), so a fact announced twice — a redelivery, or a duplicate publish
 * with a new event id — is still one message per recipient and channel.
 */
export function plan(event: NotificationEvent): Message[] {
  switch (event.type) {
    case "UserRegistered":
      return [
        {
          key: `welcome:${event.userId}`,
          kind: "welcome",
          category: "account",
          recipient: { userId: event.userId },
          channels: ["email", "in_app"],
          data: { name: event.name },
        },
      ];
    case "EmailVerificationRequested":
    case "PasswordResetRequested": {
      if (!event.link) return [];
      const verify = event.type === "EmailVerificationRequested";
      return [
        {
          // Every request carries a new token: one message per request (event).
          key: `${verify ? "verify_email" : "password_reset"}:${event.eventId}`,
          kind: verify ? "verify_email" : "password_reset",
          category: "account",
          recipient: { userId: event.userId },
          channels: ["email"],
          data: { name: event.name, expiresAt: iso(event.expiresAt) },
          secretLink: event.link,
          emailTo: event.email,
        },
      ];
    }
    case "OrderPlaced": {
      const p = event.payment;
      const data: Record<string, string | number> = { orderId: event.orderId, total: event.total };
      if (p) {
        Object.assign(data, {
          method: p.method,
          paymentChannel: p.channel,
          payAmount: p.amount,
          payBy: iso(p.expiresAt),
        });
        for (const [k, v] of Object.entries(p.instructions)) if (v) data[`pay_${k}`] = v;
      }
      return [buyer(event, "order_placed", data, ["email", "in_app"])];
    }
    case "OrderPaid":
      return [
        buyer(event, "order_paid", { orderId: event.orderId, total: event.total }, ["email", "in_app"]),
        seller(event, "new_order", { orderId: event.orderId, total: event.total, items: event.items }),
      ];
    case "OrderCancelled":
      return [
        buyer(event, "order_cancelled", { orderId: event.orderId, reason: event.reason }, [
          "email",
          "in_app",
        ]),
      ];
    case "OrderAccepted":
      return [buyer(event, "order_accepted", { orderId: event.orderId }, ["in_app"])];
    case "OrderShipped":
      return [
        buyer(
          event,
          "order_shipped",
          { orderId: event.orderId, awb: event.awb, carrier: event.carrier, service: event.service },
          ["email", "sms", "in_app"],
        ),
      ];
    case "OrderDelivered":
      return [
        buyer(event, "order_delivered", { orderId: event.orderId, completeBy: iso(event.completeBy) }, [
          "email",
          "in_app",
        ]),
      ];
    case "OrderCompleted":
      return [buyer(event, "order_completed", { orderId: event.orderId }, ["email", "in_app"])];
    case "OrderRefunded":
      return [
        {
          // One order may be refunded more than once (a partial return, then another).
          key: `order_refunded:${event.orderId}:${event.returnId || event.eventId}`,
          kind: "order_refunded",
          category: "orders",
          recipient: { userId: event.buyerId },
          channels: ["email", "in_app"],
          data: { orderId: event.orderId, amount: event.amount, reason: event.reason },
        },
      ];
    case "PaymentFailed":
      return [
        {
          key: `payment_failed:${event.paymentId}`,
          kind: "payment_failed",
          category: "orders",
          recipient: { paymentId: event.paymentId },
          channels: ["email", "in_app"],
          data: { checkoutId: event.checkoutId, reason: event.reason },
        },
      ];
    case "RefundSucceeded":
      // A refund for an order is announced by the order's OrderRefunded (same buyer, amount and
      // moment, plus the reason and the return); only a refund no order speaks of (money paid
      // after the payment had failed or expired, refunded at once) gets a message of its own.
      if (event.orderId !== "" && !event.automatic) return [];
      return [
        {
          key: `refund_succeeded:${event.refundId}`,
          kind: "refund_sent",
          category: "orders",
          recipient: { paymentId: event.paymentId },
          channels: ["email", "in_app"],
          data: { checkoutId: event.checkoutId, amount: event.amount, reason: event.reason },
        },
      ];
    case "ReturnRequested":
      return [
        {
          key: `return_requested:${event.returnId}`,
          kind: "return_requested",
          category: "seller",
          recipient: { shopId: event.shopId },
          channels: ["email", "in_app"],
          data: { orderId: event.orderId, returnId: event.returnId, reason: event.reason },
        },
      ];
    case "ReturnApproved":
    case "ReturnRejected": {
      const approved = event.type === "ReturnApproved";
      return [
        {
          key: `${approved ? "return_approved" : "return_rejected"}:${event.returnId}`,
          kind: approved ? "return_approved" : "return_rejected",
          category: "orders",
          recipient: { userId: event.buyerId },
          channels: ["email", "in_app"],
          data: {
            orderId: event.orderId,
            returnId: event.returnId,
            reason: event.type === "ReturnRejected" ? event.reason : "",
          },
        },
      ];
    }
    case "ShipmentStatusChanged": {
      if (!event.outbound || event.status === "other" || !event.buyerId) return [];
      const kind = event.status === "out_for_delivery" ? "out_for_delivery" : "delivery_failed";
      return [
        {
          key: `${kind}:${event.shipmentId}`,
          kind,
          category: "orders",
          recipient: { userId: event.buyerId },
          channels: kind === "out_for_delivery" ? ["sms", "in_app"] : ["email", "in_app"],
          data: { orderId: event.orderId, awb: event.awb },
        },
      ];
    }
    case "LowStock":
      return [
        {
          // Emitted once per crossing: each crossing is its own message.
          key: `low_stock:${event.shopId}/${event.sku}:${event.eventId}`,
          kind: "low_stock",
          category: "seller",
          recipient: { shopId: event.shopId },
          channels: ["email", "in_app"],
          data: { sku: event.sku, available: event.available, reorderPoint: event.reorderPoint },
        },
      ];
  }
}

function buyer(
  event: { orderId: string; buyerId: string },
  kind: Message["kind"],
  data: Message["data"],
  channels: Message["channels"],
): Message {
  return {
    key: `${kind}:${event.orderId}`,
    kind,
    category: "orders",
    recipient: { userId: event.buyerId },
    channels,
    data,
  };
}

function seller(
  event: { orderId: string; shopId: string },
  kind: Message["kind"],
  data: Message["data"],
): Message {
  return {
    key: `${kind}:${event.orderId}`,
    kind,
    category: "seller",
    recipient: { shopId: event.shopId },
    channels: ["email", "in_app"],
    data,
  };
}
