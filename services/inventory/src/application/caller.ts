import { errors, type Principal, SERVICE_ROLE } from "@toko/kit";

/**
 * The calling internal service (the checkout saga), for the stock-holding RPCs: UNAUTHENTICATED
 * when anonymous, FORBIDDEN for users (buyers, sellers, admins) — a user must never hold,
 * release or read the stock held for a checkout.
 */
export function requireService(principal: Principal | undefined): Principal {
  if (!principal) throw errors.unauthenticated("an internal service principal is required");
  if (!principal.roles.includes(SERVICE_ROLE))
    throw errors.forbidden("only internal services may reserve, commit, release or read reservations");
  return principal;
}

export { SERVICE_ROLE };
