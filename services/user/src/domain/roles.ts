/** Roles a user can hold. Everyone is a buyer. */
export const ROLES = ["buyer", "seller", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that can be granted by RPC (buyer is implicit). */
export function isGrantableRole(role: string): role is "seller" | "admin" {
  return role === "seller" || role === "admin";
}

/** Who may grant a role: sellers come from the product service or an admin; admins only from admins. */
export function mayGrant(
  role: "seller" | "admin",
  caller: { isAdmin: boolean; isService: boolean },
): boolean {
  return role === "seller" ? caller.isAdmin || caller.isService : caller.isAdmin;
}

/** Roles in a stable order, without duplicates. */
export function sortRoles(roles: readonly string[]): string[] {
  const order = new Map<string, number>(ROLES.map((r, i) => [r, i]));
  return [...new Set(roles)].sort((a, b) => (order.get(a) ?? 99) - (order.get(b) ?? 99));
}
