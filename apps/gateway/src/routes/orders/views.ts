import type { OrderPayment } from "@toko/contracts/toko/order/v1/events";
import type { Order, Return } from "@toko/contracts/toko/order/v1/order";

type Money = { amount: number; currency: "IDR" };
const money = (m: { amount: number } | undefined): Money => ({
  amount: Number(m?.amount ?? 0),
  currency: "IDR",
});
const iso = (d: Date | undefined) => (d ?? new Date(0)).toISOString();
const orNull = (s: string) => (s === "" ? null : s);

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function returnJson(r: Return | undefined) {
  if (!r) throw new Error("the order service answered without a return");
  return {
    id: r.id,
    order_id: r.orderId,
    status: r.status,
    lines: r.lines.map((l) => ({ line_id: l.lineId, sku: l.sku, quantity: l.quantity })),
    reason: r.reason,
    rejection_reason: orNull(r.rejectionReason),
    refund_amount: money(r.refundAmount),
    shipment_id: orNull(r.shipmentId),
    created_at: iso(r.createdAt),
  };
}

/** An order as its buyer sees it. */
export function orderJson(o: Order | undefined) {
  if (!o) throw new Error("the order service answered without an order");
  const a = o.amounts;
  return {
    id: o.id,
    checkout_id: o.checkoutId,
    shop_id: o.shopId,
    status: o.status,
    lines: o.lines.map((l) => ({
      line_id: l.lineId,
      product_id: l.productId,
      variant_id: l.variantId,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: money(l.unitPrice),
      line_total: money({ amount: Number(l.unitPrice?.amount ?? 0) * l.quantity }),
    })),
    totals: {
      subtotal: money(a?.subtotal),
      discount: money(a?.discount),
      shipping: money(a?.shipping),
      service_fee: money(a?.serviceFee),
      total: money(a?.total),
    },
    history: o.history.map((h) => ({ status: h.status, at: iso(h.at), reason: orNull(h.reason) })),
    shipment: o.shipment
      ? {
          shipment_id: o.shipment.shipmentId,
          awb: o.shipment.awb,
          carrier: o.shipment.carrier,
          service: o.shipment.service,
        }
      : null,
    cancel_reason: orNull(o.cancelReason),
    returns: o.returns.map(returnJson),
    created_at: iso(o.createdAt),
  };
}

/** An order as its shop sees it: the buyer and the platform's commission too. */
export function sellerOrderJson(o: Order | undefined) {
  return { ...orderJson(o), buyer_id: o?.buyerId ?? "", commission: money(o?.commission) };
}

export function paymentJson(p: OrderPayment | undefined, status: string) {
  if (!p) throw new Error("the checkout answered without a payment");
  const instructions = Object.fromEntries(
    Object.entries(p.instructions ?? {})
      .filter(([, v]) => typeof v === "string" && v !== "")
      .map(([k, v]) => [snake(k), v]),
  );
  return {
    id: p.paymentId,
    method: p.method,
    channel: orNull(p.channel),
    status,
    amount: money(p.amount),
    expires_at: iso(p.expiresAt),
    instructions,
  };
}
