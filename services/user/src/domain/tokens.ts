import { createHash, randomBytes } from "node:crypto";

/** A fresh single-use token: the raw value goes to the user, only the hash is stored. */
export function newToken(): { raw: string; hash: Buffer } {
  const raw = randomBytes(32).toString("base64url");
  return { raw, hash: hashToken(raw) };
}

/** The stored form of a token (SHA-256; the token has 256 random bits, so no salt is needed). */
export function hashToken(raw: string): Buffer {
  return createHash("sha256").update(raw, "utf8").digest();
}

// base64url of 32 bytes; anything else cannot be a token we issued.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `raw` has the shape of an issued token (cheap rejection before a lookup). */
export function isTokenShaped(raw: string): boolean {
  return TOKEN_PATTERN.test(raw);
}
