import { createHash, randomBytes } from "node:crypto";

const TOKEN = /^ct_[A-Za-z0-9_-]{43}$/;

/** A new guest cart token: 256 random bits, so it cannot be guessed. */
export function newCartToken(): string {
  return `ct_${randomBytes(32).toString("base64url")}`;
}

/** What is stored instead of the token (a leaked table names no usable cart). */
export function hashCartToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether a string has the shape of a cart token (anything else cannot name a cart). */
export function isCartToken(token: string): boolean {
  return TOKEN.test(token);
}
