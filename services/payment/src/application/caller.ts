import { errors, type Principal } from "@toko/kit";
import type { PaymentRecord } from "./model.ts";

/** Role carried by internal service principals (another Toko service acting for itself). */
export const SERVICE_ROLE = "service";

/** The calling internal service: UNAUTHENTICATED when anonymous, FORBIDDEN for users. */
export function requireService(principal: Principal | undefined): Principal {
  if (!principal) throw errors.unauthenticated("an internal service principal is required");
  if (!principal.roles.includes(SERVICE_ROLE))
    throw errors.forbidden("only internal services may create, refund or settle payments");
  return principal;
}

/** An admin: UNAUTHENTICATED when anonymous, FORBIDDEN otherwise. */
export function requireAdmin(principal: Principal | undefined): Principal {
  if (!principal) throw errors.unauthenticated();
  if (!principal.roles.includes("admin")) throw errors.forbidden("admins only");
  return principal;
}

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
