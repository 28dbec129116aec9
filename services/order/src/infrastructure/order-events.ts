import {
  OrderAccepted,
  type OrderAmounts,
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  type OrderLine,
  OrderPaid,
  type OrderPayment,
  OrderPlaced,
  OrderRefunded,
  OrderShipped,
  ReturnApproved,
  ReturnReceived,
  ReturnRefunded,
  ReturnRejected,
  ReturnRequested,
} from "@toko/contracts/toko/order/v1/events";
import { Instructions } from "@toko/contracts/toko/payment/v1/payment";
import { createOutbox, type NewEvent, protoEvent, type Transaction } from "@toko/kit";
import type { OrderRecord, PaymentInfo, ReturnRecord } from "../application/model.ts";
import type { OrderEvents } from "../application/ports.ts";
import type { OrderDatabase } from "./schema.ts";

const outbox = createOutbox("order");
const idr = (amount: number) => ({ amount, currency: "IDR" });

export const linesOf = (o: OrderRecord): OrderLine[] =>
  o.lines.map((l) => ({
    lineId: l.lineId,
    productId: l.productId,
    variantId: l.variantId,
    sku: l.sku,
    quantity: l.quantity,
    unitPrice: idr(l.unitPrice),
  }));

export const amountsOf = (o: OrderRecord): OrderAmounts => ({
  subtotal: idr(o.subtotal),
  discount: idr(o.discount),
  shipping: idr(o.shipping),
  serviceFee: idr(o.serviceFee),
  total: idr(o.total),
});

/** The checkout's payment as `OrderPayment` (OrderPlaced and the checkout's answer). */
export function paymentToProto(p: PaymentInfo): OrderPayment {
  return {
    paymentId: p.paymentId,
    method: p.method,
    channel: p.channel,
    amount: idr(p.amount),
    expiresAt: new Date(p.expiresAt),
    instructions: Instructions.fromPartial(p.instructions),
  };
}

const head = (o: OrderRecord) => ({
  orderId: o.id,
  checkoutId: o.checkoutId,
  buyerId: o.buyerId,
  shopId: o.shopId,
});
const returnHead = (r: ReturnRecord) => ({
  returnId: r.id,
  orderId: r.orderId,
  buyerId: r.buyerId,
  shopId: r.shopId,
});
const returnLines = (r: ReturnRecord) =>
  r.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));

/** The order events through the kit outbox, in the caller's transaction. */
export function orderEvents(trx: Transaction<OrderDatabase>, now: () => Date): OrderEvents {
  const add = async (event: NewEvent) => {
    await outbox.add(trx, [event]);
  };
  return {
    placed: (o, p) =>
      add(
        protoEvent("toko.order.v1.OrderPlaced", o.id, OrderPlaced, {
          ...head(o),
          lines: linesOf(o),
          voucherCodes: o.voucherCodes,
          amounts: amountsOf(o),
          placedAt: o.createdAt,
          payment: paymentToProto(p),
        }),
      ),
    paid: (o) =>
      add(
        protoEvent("toko.order.v1.OrderPaid", o.id, OrderPaid, {
          ...head(o),
          lines: linesOf(o),
          voucherCodes: o.voucherCodes,
          amounts: amountsOf(o),
          paidAt: o.paidAt ?? now(),
        }),
      ),
    cancelled: (o) =>
      add(
        protoEvent("toko.order.v1.OrderCancelled", o.id, OrderCancelled, {
          ...head(o),
          lines: linesOf(o),
          voucherCodes: o.voucherCodes,
          amounts: amountsOf(o),
          reason: o.cancelReason,
          cancelledAt: now(),
        }),
      ),
    accepted: (o) =>
      add(protoEvent("toko.order.v1.OrderAccepted", o.id, OrderAccepted, { ...head(o), acceptedAt: now() })),
    shipped: (o) =>
      add(
        protoEvent("toko.order.v1.OrderShipped", o.id, OrderShipped, {
          ...head(o),
          shipmentId: o.shipment?.shipmentId ?? "",
          awb: o.shipment?.awb ?? "",
          carrier: o.shipment?.carrier ?? "",
          service: o.shipment?.service ?? "",
          shippedAt: now(),
        }),
      ),
    delivered: (o, completeBy) =>
      add(
        protoEvent("toko.order.v1.OrderDelivered", o.id, OrderDelivered, {
          ...head(o),
          shipmentId: o.shipment?.shipmentId ?? "",
          deliveredAt: o.deliveredAt ?? now(),
          completeBy,
        }),
      ),
    completed: (o) =>
      add(
        protoEvent("toko.order.v1.OrderCompleted", o.id, OrderCompleted, {
          ...head(o),
          // Units returned and refunded are not the buyer's to review.
          lines: o.lines
            .filter((l) => l.quantity > l.returned)
            .map((l) => ({
              lineId: l.lineId,
              productId: l.productId,
              variantId: l.variantId,
              sku: l.sku,
              quantity: l.quantity - l.returned,
              unitPrice: idr(l.unitPrice),
            })),
          completedAt: now(),
        }),
      ),
    refunded: (o, refund) =>
      add(
        protoEvent("toko.order.v1.OrderRefunded", o.id, OrderRefunded, {
          ...head(o),
          amount: idr(refund.amount),
          reason: refund.reason,
          returnId: refund.returnId,
          refundedAt: now(),
        }),
      ),
    returnRequested: (r) =>
      add(
        protoEvent("toko.order.v1.ReturnRequested", r.id, ReturnRequested, {
          ...returnHead(r),
          lines: returnLines(r),
          reason: r.reason,
          requestedAt: r.createdAt,
        }),
      ),
    returnApproved: (r) =>
      add(
        protoEvent("toko.order.v1.ReturnApproved", r.id, ReturnApproved, {
          ...returnHead(r),
          shipmentId: r.shipmentId,
          approvedAt: now(),
        }),
      ),
    returnRejected: (r) =>
      add(
        protoEvent("toko.order.v1.ReturnRejected", r.id, ReturnRejected, {
          ...returnHead(r),
          reason: r.rejectionReason,
          rejectedAt: now(),
        }),
      ),
    returnReceived: (r) =>
      add(
        protoEvent("toko.order.v1.ReturnReceived", r.id, ReturnReceived, {
          ...returnHead(r),
          lines: returnLines(r),
          receivedAt: now(),
        }),
      ),
    returnRefunded: (r) =>
      add(
        protoEvent("toko.order.v1.ReturnRefunded", r.id, ReturnRefunded, {
          ...returnHead(r),
          amount: idr(r.refundAmount),
          refundedAt: now(),
        }),
      ),
  };
}
