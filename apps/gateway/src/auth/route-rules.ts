import type { AuthRule } from "./auth-hook.ts";

// The access rules of the API's route modules, named once so every module applies the same
// policy. A token's roles are the user's roles within the API scopes the client was granted;
// the rules still name both, so a token minted with a role but not its scope gets nothing.

/**
 * A signed-in user acting for themselves (profile, addresses, wishlist, links, opening a shop,
 * reviews): the `buyer` scope, which a token carries only for a user holding the role.
 */
export const buyerOnly = { scopes: ["buyer"] } as const satisfies AuthRule;

/** A seller acting for their shop (product writes, stock, warehouses, suppliers, purchase orders). */
export const sellerOnly = { roles: ["seller"], scopes: ["seller"] } as const satisfies AuthRule;

/** A platform administrator. */
export const adminOnly = { roles: ["admin"], scopes: ["admin"] } as const satisfies AuthRule;
