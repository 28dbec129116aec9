/**
 * Custom alias rules. Aliases live in the same namespace as generated codes; uniqueness is
 * case-insensitive (the database enforces it on lower(code)) so "Promo" and "promo" can never
 * point at different targets, while resolution matches the code exactly as created.
 */
export const ALIAS_MIN = 3;
export const ALIAS_MAX = 32;

/** Words that would be confusing or collide with the public edge's own paths. */
export const RESERVED_ALIASES: ReadonlySet<string> = new Set([
  "about",
  "account",
  "admin",
  "api",
  "app",
  "assets",
  "auth",
  "cart",
  "checkout",
  "docs",
  "favicon",
  "health",
  "healthz",
  "help",
  "links",
  "login",
  "logout",
  "me",
  "metrics",
  "oauth",
  "oauth2",
  "openapi",
  "readyz",
  "register",
  "root",
  "s",
  "seller",
  "settings",
  "signup",
  "static",
  "status",
  "support",
  "swagger",
  "toko",
  "www",
]);

/** Why an alias is unacceptable, or undefined when it is fine. */
export function aliasProblem(alias: string): string | undefined {
  if (/[^\x20-\x7e]/.test(alias)) {
    return "alias may only contain ASCII letters, digits, '_' and '-' (no accents, emoji or other Unicode)";
  }
  if (!/^[A-Za-z0-9_-]*$/.test(alias)) return "alias may only contain letters, digits, '_' and '-'";
  if (alias.length < ALIAS_MIN || alias.length > ALIAS_MAX) {
    return `alias must be ${ALIAS_MIN} to ${ALIAS_MAX} characters long`;
  }
  if (RESERVED_ALIASES.has(alias.toLowerCase())) return `alias "${alias}" is reserved`;
  return undefined;
}
