import type { OrderLineItem, OrderStatus, PaymentMethod, ReturnLineItem } from "../domain/order.ts";

export type CheckoutStatus = "PRICING" | "RESERVING" | "AWAITING_PAYMENT" | "PAID" | "CANCELLED" | "FAILED";

export interface Failure {
  code: string;
  message: string;
  violations: { field: string; message: string }[];
}

/** The payment a checkout opened, as the buyer is shown it. */
export interface PaymentInfo {
  paymentId: string;
  method: string;
  channel: string;
  amount: number;
  expiresAt: string;
  instructions: Record<string, string>;
}

export interface ReserveLine {
  shopId: string;
  sku: string;
  quantity: number;
}

export interface CheckoutRecord {
  id: string;
  buyerId: string;
  idempotencyKey: string;
  fingerprint: string;
  status: CheckoutStatus;
  failure: Failure | null;
  method: PaymentMethod;
  channel: string;
  amount: number;
  reserveLines: ReserveLine[];
  paymentId: string | null;
  payment: PaymentInfo | null;
  paymentStatus: string | null;
  paymentExpiresAt: Date | null;
  createdAt: Date;
}

export interface Address {
  recipient: string;
  phone: string;
  street: string;
  district: string;
  city: string;
  province: string;
  postalCode: string;
}

export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

export interface ShipmentInfo {
  shipmentId: string;
  awb: string;
  carrier: string;
  service: string;
  optionId: string;
}

export interface HistoryEntry {
  status: OrderStatus;
  at: string;
  reason: string;
}

export interface OrderRecord {
  id: string;
  checkoutId: string;
  buyerId: string;
  shopId: string;
  shopOwnerId: string;
  status: OrderStatus;
  cancelReason: string;
  subtotal: number;
  discount: number;
  shipping: number;
  serviceFee: number;
  total: number;
  commission: number;
  refunded: number;
  voucherCodes: string[];
  shippingOptionId: string;
  origin: Address;
  destination: Address;
  parcel: Parcel;
  lines: OrderLineItem[];
  history: HistoryEntry[];
  shipment: ShipmentInfo | null;
  paymentMethod: string;
  paidAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export type ReturnStatus = "REQUESTED" | "APPROVED" | "REJECTED" | "RECEIVED" | "REFUNDED";

export interface ReturnRecord {
  id: string;
  orderId: string;
  buyerId: string;
  shopId: string;
  status: ReturnStatus;
  lines: ReturnLineItem[];
  reason: string;
  rejectionReason: string;
  refundAmount: number;
  shipmentId: string;
  createdAt: Date;
}

export interface PayoutRecord {
  orderId: string;
  shopId: string;
  gross: number;
  commission: number;
  net: number;
  createdAt: Date;
}

/** A refund the saga owes: made through payment.RefundPayment by a durable timer. */
export interface RefundIntent {
  refundId: string;
  orderId: string;
  amount: number;
  reason: string;
  returnId: string;
}

/**
 * Units of a paid order going back into stock (cancel, reject, acceptance timeout, return),
 * scheduled in the transaction that decides it and done by a timer: `key` is the inventory
 * idempotency key. `offset` skips units of the SKU restocked before (earlier returns), so every
 * restock of an order spreads its units over the checkout's allocations in the same order.
 */
export interface RestockIntent {
  key: string;
  checkoutId: string;
  shopId: string;
  items: { sku: string; quantity: number; offset: number }[];
  reason: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string;
}
