import type { CheckoutRecord, OrderRecord, ReturnRecord } from "../application/model.ts";
import type { OrderDatabase } from "./schema.ts";

type Row<T extends keyof OrderDatabase> = { [K in keyof OrderDatabase[T]]: unknown };

const num = (v: unknown) => Number(v);
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : date(v));

export function checkoutFromRow(r: Row<"checkouts">): CheckoutRecord {
  return {
    id: String(r.id),
    buyerId: String(r.buyer_id),
    idempotencyKey: String(r.idempotency_key),
    fingerprint: String(r.fingerprint),
    status: r.status as CheckoutRecord["status"],
    failure: (r.failure ?? null) as CheckoutRecord["failure"],
    method: r.payment_method as CheckoutRecord["method"],
    channel: String(r.payment_channel),
    amount: num(r.amount),
    reserveLines: r.reserve_lines as CheckoutRecord["reserveLines"],
    paymentId: (r.payment_id ?? null) as string | null,
    payment: (r.payment ?? null) as CheckoutRecord["payment"],
    paymentStatus: (r.payment_status ?? null) as string | null,
    paymentExpiresAt: dateOrNull(r.payment_expires_at),
    createdAt: date(r.created_at),
  };
}

export function checkoutRow(c: CheckoutRecord, now: Date) {
  return {
    id: c.id,
    buyer_id: c.buyerId,
    idempotency_key: c.idempotencyKey,
    fingerprint: c.fingerprint,
    status: c.status,
    failure: c.failure ? JSON.stringify(c.failure) : null,
    payment_method: c.method,
    payment_channel: c.channel,
    amount: c.amount,
    reserve_lines: JSON.stringify(c.reserveLines),
    payment_id: c.paymentId,
    payment: c.payment ? JSON.stringify(c.payment) : null,
    payment_status: c.paymentStatus,
    payment_expires_at: c.paymentExpiresAt,
    created_at: c.createdAt,
    updated_at: now,
  };
}

export function orderFromRow(r: Row<"orders">): OrderRecord {
  return {
    id: String(r.id),
    checkoutId: String(r.checkout_id),
    buyerId: String(r.buyer_id),
    shopId: String(r.shop_id),
    shopOwnerId: String(r.shop_owner_id),
    status: r.status as OrderRecord["status"],
    cancelReason: String(r.cancel_reason),
    subtotal: num(r.subtotal),
    discount: num(r.discount),
    shipping: num(r.shipping),
    serviceFee: num(r.service_fee),
    total: num(r.total),
    commission: num(r.commission),
    refunded: num(r.refunded),
    voucherCodes: r.voucher_codes as string[],
    shippingOptionId: String(r.shipping_option_id),
    origin: r.origin as OrderRecord["origin"],
    destination: r.destination as OrderRecord["destination"],
    parcel: r.parcel as OrderRecord["parcel"],
    lines: r.lines as OrderRecord["lines"],
    history: r.history as OrderRecord["history"],
    shipment: (r.shipment ?? null) as OrderRecord["shipment"],
    paymentMethod: String(r.payment_method),
    paidAt: dateOrNull(r.paid_at),
    deliveredAt: dateOrNull(r.delivered_at),
    createdAt: date(r.created_at),
  };
}

export function orderRow(o: OrderRecord, now: Date) {
  return {
    id: o.id,
    checkout_id: o.checkoutId,
    buyer_id: o.buyerId,
    shop_id: o.shopId,
    shop_owner_id: o.shopOwnerId,
    status: o.status,
    cancel_reason: o.cancelReason,
    subtotal: o.subtotal,
    discount: o.discount,
    shipping: o.shipping,
    service_fee: o.serviceFee,
    total: o.total,
    commission: o.commission,
    refunded: o.refunded,
    voucher_codes: JSON.stringify(o.voucherCodes),
    shipping_option_id: o.shippingOptionId,
    origin: JSON.stringify(o.origin),
    destination: JSON.stringify(o.destination),
    parcel: JSON.stringify(o.parcel),
    lines: JSON.stringify(o.lines),
    history: JSON.stringify(o.history),
    // Stored with the shipment id under the key the shipment index reads.
    shipment: o.shipment ? JSON.stringify({ ...o.shipment, shipment_id: o.shipment.shipmentId }) : null,
    payment_method: o.paymentMethod,
    paid_at: o.paidAt,
    delivered_at: o.deliveredAt,
    created_at: o.createdAt,
    updated_at: now,
  };
}

export function returnFromRow(r: Row<"returns">): ReturnRecord {
  return {
    id: String(r.id),
    orderId: String(r.order_id),
    buyerId: String(r.buyer_id),
    shopId: String(r.shop_id),
    status: r.status as ReturnRecord["status"],
    lines: r.lines as ReturnRecord["lines"],
    reason: String(r.reason),
    rejectionReason: String(r.rejection_reason),
    refundAmount: num(r.refund_amount),
    shipmentId: String(r.shipment_id),
    createdAt: date(r.created_at),
  };
}

export function returnRow(r: ReturnRecord, now: Date) {
  return {
    id: r.id,
    order_id: r.orderId,
    buyer_id: r.buyerId,
    shop_id: r.shopId,
    status: r.status,
    lines: JSON.stringify(r.lines),
    reason: r.reason,
    rejection_reason: r.rejectionReason,
    refund_amount: r.refundAmount,
    shipment_id: r.shipmentId,
    created_at: r.createdAt,
    updated_at: now,
  };
}
