import { DomainError, type FieldViolation } from "@toko/kit/errors";

/** An order's public statuses, plus CREATED while its checkout's saga runs (never shown). */
export type OrderStatus =
  | "CREATED"
  | "AWAITING_PAYMENT"
  | "PAID"
  | "PROCESSING"
  | "SHIPPED"
  | "DELIVERED"
  | "COMPLETED"
  | "CANCELLED"
  | "RETURN_REQUESTED"
  | "RETURNED"
  | "REFUNDED";

export const PUBLIC_STATUSES: readonly OrderStatus[] = [
  "AWAITING_PAYMENT",
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "COMPLETED",
  "CANCELLED",
  "RETURN_REQUESTED",
  "RETURNED",
  "REFUNDED",
];

/** Where each status may go next. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  CREATED: ["AWAITING_PAYMENT", "CANCELLED"],
  AWAITING_PAYMENT: ["PAID", "CANCELLED"],
  PAID: ["PROCESSING", "CANCELLED"],
  PROCESSING: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: ["COMPLETED", "RETURN_REQUESTED"],
  RETURN_REQUESTED: ["COMPLETED", "RETURNED", "REFUNDED"],
  COMPLETED: [],
  CANCELLED: [],
  RETURNED: [],
  REFUNDED: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function invalidTransition(action: string, status: OrderStatus): DomainError {
  return new DomainError(
    "failed_precondition",
    "INVALID_TRANSITION",
    `cannot ${action} an order that is ${status}`,
  );
}

/** INVALID_TRANSITION unless `from` may move to `to`. */
export function checkMove(from: OrderStatus, to: OrderStatus, action: string): void {
  if (!canMove(from, to)) throw invalidTransition(action, from);
}

/** Statuses whose money the seller will receive unless something goes wrong. */
export const PENDING_PAYOUT: readonly OrderStatus[] = [
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "RETURN_REQUESTED",
];

/** The buyer may cancel until the parcel leaves. */
export const BUYER_CANCELLABLE: readonly OrderStatus[] = ["AWAITING_PAYMENT", "PAID", "PROCESSING"];

export type PaymentMethod = "bank_transfer_va" | "ewallet" | "credit_card" | "cod";

const CHANNELS: Record<PaymentMethod, readonly string[]> = {
  bank_transfer_va: ["bca", "bni", "bri", "mandiri", "permata"],
  ewallet: ["gopay", "ovo", "dana", "shopeepay"],
  credit_card: [""],
  cod: [""],
};

/** A valid method and channel, or violations naming the public fields. */
export function checkPaymentMethod(
  method: string,
  channel: string,
  out: FieldViolation[],
): { method: PaymentMethod; channel: string } | null {
  if (!Object.hasOwn(CHANNELS, method)) {
    out.push({ field: "payment_method", message: `must be one of ${Object.keys(CHANNELS).join(", ")}` });
    return null;
  }
  const m = method as PaymentMethod;
  const c = channel.trim().toLowerCase();
  const allowed = CHANNELS[m];
  if (!allowed.includes(c)) {
    out.push({
      field: "payment_channel",
      message: allowed[0] === "" ? `must be empty for ${m}` : `must be one of ${allowed.join(", ")} for ${m}`,
    });
    return null;
  }
  return { method: m, channel: c };
}

/** Splits a checkout-wide fee over orders in proportion to their subtotals (remainder to the first). */
export function splitFee(fee: number, subtotals: readonly number[]): number[] {
  const sum = subtotals.reduce((a, b) => a + b, 0);
  if (subtotals.length === 0) return [];
  const shares = subtotals.map((s) => (sum === 0 ? 0 : Math.floor((fee * s) / sum)));
  const rest = fee - shares.reduce((a, b) => a + b, 0);
  shares[0] = (shares[0] ?? 0) + rest;
  return shares;
}

/** The commission of one line: its value times the category's rate, floored to the rupiah. */
export function lineCommission(lineTotal: number, rateBps: number): number {
  return Math.floor((lineTotal * rateBps) / 10_000);
}

export interface OrderLineItem {
  lineId: string;
  productId: string;
  variantId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  categoryId: string;
  commission: number;
  returned: number;
}

export interface ReturnLineItem {
  lineId: string;
  sku: string;
  quantity: number;
}

/** Checks a return request against the order's lines (quantities not already returned). */
export function checkReturnLines(
  lines: readonly OrderLineItem[],
  requested: readonly { lineId: string; quantity: number }[],
): ReturnLineItem[] {
  const out: FieldViolation[] = [];
  if (requested.length === 0) out.push({ field: "lines", message: "must name at least one line" });
  const seen = new Set<string>();
  const result: ReturnLineItem[] = [];
  requested.forEach((r, i) => {
    const line = lines.find((l) => l.lineId === r.lineId);
    if (!line) {
      out.push({ field: `lines[${i}].line_id`, message: "is not a line of this order" });
      return;
    }
    if (seen.has(r.lineId)) out.push({ field: `lines[${i}].line_id`, message: "is named twice" });
    seen.add(r.lineId);
    const left = line.quantity - line.returned;
    if (!Number.isInteger(r.quantity) || r.quantity < 1 || r.quantity > left)
      out.push({ field: `lines[${i}].quantity`, message: `must be between 1 and ${left}` });
    result.push({ lineId: line.lineId, sku: line.sku, quantity: r.quantity });
  });
  if (out.length > 0) throw new DomainError("invalid", "VALIDATION_FAILED", "invalid return", out);
  return result;
}

/** What returning these lines refunds: their paid value, at most what is left to refund. */
export function returnValue(
  lines: readonly OrderLineItem[],
  items: readonly ReturnLineItem[],
  refundable: number,
): number {
  const value = items.reduce((sum, item) => {
    const line = lines.find((l) => l.lineId === item.lineId);
    return sum + (line ? line.unitPrice * item.quantity : 0);
  }, 0);
  return Math.min(value, refundable);
}

/** What a completed order pays its shop. */
export function payout(total: number, refunded: number, commission: number) {
  const gross = Math.max(0, total - refunded);
  const fee = Math.min(commission, gross);
  return { gross, commission: fee, net: gross - fee };
}
