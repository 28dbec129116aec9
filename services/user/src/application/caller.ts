import { errors, type Principal, SERVICE_ROLE } from "@toko/kit";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be one of our ids; anything else is NOT_FOUND without a query. */
export function isId(id: string): boolean {
  return UUID.test(id);
}

/** Whether the principal is an internal service acting on its own behalf. */
export function isService(principal: Principal | undefined): boolean {
  return principal?.roles.includes(SERVICE_ROLE) ?? false;
}

/** Whether the principal is an administrator. */
export function isAdmin(principal: Principal | undefined): boolean {
  return principal?.roles.includes("admin") ?? false;
}

/** The calling user's id: UNAUTHENTICATED for anonymous calls and for service principals. */
export function requireUserId(principal: Principal | undefined): string {
  if (!principal || isService(principal) || !isId(principal.subject)) {
    throw errors.unauthenticated("a signed-in user is required");
  }
  return principal.subject.toLowerCase();
}

/** Whether the caller may read user `userId`: that user, an admin or an internal service. */
export function mayReadUser(principal: Principal | undefined, userId: string): boolean {
  if (!principal) return false;
  return (
    isService(principal) || isAdmin(principal) || principal.subject.toLowerCase() === userId.toLowerCase()
  );
}

export { SERVICE_ROLE };
