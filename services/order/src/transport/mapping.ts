import type { Order, Return } from "@toko/contracts/toko/order/v1/order";
import type { OrderRecord, ReturnRecord } from "../application/model.ts";
import { amountsOf, linesOf } from "../infrastructure/order-events.ts";

const idr = (amount: number) => ({ amount, currency: "IDR" });

export function returnToProto(r: ReturnRecord): Return {
  return {
    id: r.id,
    orderId: r.orderId,
    status: r.status,
    lines: r.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity })),
    reason: r.reason,
    refundAmount: idr(r.refundAmount),
    shipmentId: r.shipmentId,
    createdAt: r.createdAt,
    rejectionReason: r.rejectionReason,
  };
}

export function orderToProto(o: OrderRecord, returns: ReturnRecord[] = []): Order {
  return {
    id: o.id,
    checkoutId: o.checkoutId,
    buyerId: o.buyerId,
    shopId: o.shopId,
    status: o.status,
    lines: linesOf(o),
    amounts: amountsOf(o),
    history: o.history.map((h) => ({ status: h.status, at: new Date(h.at), reason: h.reason })),
    shipment: o.shipment ?? undefined,
    paymentId: "",
    cancelReason: o.cancelReason,
    createdAt: o.createdAt,
    returns: returns.map(returnToProto),
    shippingOptionId: o.shippingOptionId,
    commission: idr(o.commission),
  };
}
