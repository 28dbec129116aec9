import { errors, type Principal } from "@toko/kit";
import type { FieldViolation } from "@toko/kit/errors";

/** Role carried by internal service principals (another Toko service acting for itself). */
export const SERVICE_ROLE = "service";

/**
 * The calling internal service (the order service booking a shipment): UNAUTHENTICATED when
 * anonymous, FORBIDDEN for users — a buyer or seller must never book a shipment directly.
 */
export function requireService(principal: Principal | undefined): Principal {
  if (!principal) throw errors.unauthenticated("an internal service principal is required");
  if (!principal.roles.includes(SERVICE_ROLE))
    throw errors.forbidden("only internal services may book shipments");
  return principal;
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** An opaque id from another service (order, user, shop): 1–128 of A-Z a-z 0-9 . _ : - */
export function referenceViolation(field: string, value: string): FieldViolation | undefined {
  return REFERENCE.test(value)
    ? undefined
    : { field, message: "must be an id of 1–128 letters, digits or . _ : -" };
}
