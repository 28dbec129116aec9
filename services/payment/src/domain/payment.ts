import { DomainError, errors, type FieldViolation } from "@toko/kit/errors";
import type { Channel, PaymentMethod } from "./payment-method.ts";

/** A payment's life: PENDING until paid, declined or expired; refunds follow a success. */
export type PaymentStatus =
  | "PENDING"
  | "SUCCEEDED"
  | "FAILED"
  | "EXPIRED"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED";

/** Where part of a payment goes: one order of one shop, less the platform's commission. */
export interface Allocation {
  orderId: string;
  shopId: string;
  amount: number;
  commission: number;
}

/** The state the rules look at. */
export interface PaymentState {
  id: string;
  amount: number;
  method: PaymentMethod;
  channel: Channel;
  status: PaymentStatus;
  expiresAt: Date;
  captured: number;
  refunded: number;
  allocations: readonly Allocation[];
}

/** The most one payment may carry (guards integer arithmetic far below 2^53). */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Whole rupiah, 1 to MAX_AMOUNT; pushes a violation naming `field` otherwise. */
export function checkAmount(field: string, amount: number, out: FieldViolation[]): void {
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
    out.push({ field, message: `must be a whole number of rupiah from 1 to ${MAX_AMOUNT}` });
  }
}

/**
 * Allocations of a new payment: at least one, distinct orders, each amount positive, the
 * commission within it, and together exactly the payment's amount.
 */
export function checkAllocations(amount: number, allocations: readonly Allocation[]): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (allocations.length === 0) out.push({ field: "allocations", message: "must list at least one order" });
  if (allocations.length > 100) out.push({ field: "allocations", message: "must list at most 100 orders" });
  const seen = new Set<string>();
  let sum = 0;
  allocations.forEach((a, i) => {
    const at = `allocations[${i}]`;
    if (a.orderId === "" || a.orderId.length > 128)
      out.push({ field: `${at}.order_id`, message: "is required" });
    if (seen.has(a.orderId)) out.push({ field: `${at}.order_id`, message: "is listed twice" });
    seen.add(a.orderId);
    if (a.shopId === "" || a.shopId.length > 128)
      out.push({ field: `${at}.shop_id`, message: "is required" });
    checkAmount(`${at}.amount`, a.amount, out);
    if (!Number.isSafeInteger(a.commission) || a.commission < 0 || a.commission > a.amount) {
      out.push({ field: `${at}.commission`, message: "must be from 0 to the allocation's amount" });
    }
    sum += a.amount;
  });
  if (out.length === 0 && sum !== amount) {
    out.push({ field: "allocations", message: "must add up to the payment's amount" });
  }
  return out;
}

/** What a provider's "paid" means for the payment. */
export type CaptureDecision =
  /** Pending and paid in full: capture. */
  | { kind: "capture" }
  /** Money arrived for a payment already given up (expired or declined): take it and return it. */
  | { kind: "capture_and_refund"; reason: "paid_after_expiry" | "paid_after_failure" }
  /** The amount paid differs from the payment's: nothing is booked (the provider reverses it). */
  | { kind: "amount_mismatch" }
  /** Already captured (or refunded): nothing more. */
  | { kind: "ignore" };

/** Decides what a provider's success notification of `paid` rupiah does. */
export function decideCapture(payment: PaymentState, paid: number): CaptureDecision {
  if (payment.captured > 0) return { kind: "ignore" };
  if (paid !== payment.amount) return { kind: "amount_mismatch" };
  if (payment.status === "PENDING") return { kind: "capture" };
  if (payment.status === "EXPIRED") return { kind: "capture_and_refund", reason: "paid_after_expiry" };
  if (payment.status === "FAILED") return { kind: "capture_and_refund", reason: "paid_after_failure" };
  return { kind: "ignore" };
}

/** Whether a provider's decline fails the payment (only while it is pending). */
export function failsOnDecline(payment: PaymentState): boolean {
  return payment.status === "PENDING";
}

/** Whether the expiry timer expires the payment at `now` (pending, not COD, deadline passed). */
export function expiresAt(payment: PaymentState, now: Date): boolean {
  return (
    payment.status === "PENDING" && payment.method !== "cod" && now.getTime() >= payment.expiresAt.getTime()
  );
}

/**
 * Whether a COD collection of `collected` settles the payment: true when it does now, false
 * when it already did (idempotent); otherwise a typed error.
 */
export function settlesCod(payment: PaymentState, collected: number): boolean {
  if (payment.method !== "cod") throw errors.precondition("NOT_COD", "the payment is not cash on delivery");
  if (collected !== payment.amount) {
    throw errors.invalid("the collected amount differs from the payment's", [
      { field: "collected", message: "must equal the payment's amount" },
    ]);
  }
  if (payment.captured > 0) return false;
  if (payment.status !== "PENDING") {
    throw new DomainError("failed_precondition", "PAYMENT_NOT_PENDING", `the payment is ${payment.status}`);
  }
  return true;
}

/** The status after `refunded` of `captured` went back. */
export function statusAfterRefund(captured: number, refunded: number): PaymentStatus {
  return refunded >= captured ? "REFUNDED" : "PARTIALLY_REFUNDED";
}
