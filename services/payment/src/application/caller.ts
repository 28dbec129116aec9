import { errors, type Principal, SERVICE_ROLE } from "@toko/kit";
import type { PaymentRecord } from "./model.ts";

/**
 * A payment the caller may see: its payer, or an internal service. Anyone else gets NOT_FOUND,
 * so payment ids reveal nothing.
 */
export function visibleTo(payment: PaymentRecord | null, principal: Principal | undefined): PaymentRecord {
  if (!principal) throw errors.unauthenticated();
  if (!payment) throw errors.notFound("payment");
  if (payment.payerId === principal.subject || principal.roles.includes(SERVICE_ROLE)) return payment;
  throw errors.notFound("payment");
}

const PAYMENT_ID = /^pay_[0-9a-f]{32}$/;

/** A payment id of our shape; any other string cannot name a payment (NOT_FOUND). */
export function paymentIdOrNotFound(id: string): string {
  if (!PAYMENT_ID.test(id)) throw errors.notFound("payment");
  return id;
}
