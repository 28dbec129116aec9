import { type SealedSecret, sealSecret, type Transaction } from "@toko/kit";
import { hashToken, isTokenShaped, newToken } from "../domain/tokens.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import type { UserSettings } from "./deps.ts";

/** What a single-use token is for. */
export type Purpose = "verify_email" | "reset_password";

/** Stores the hash of a fresh token and returns the raw token (to be emailed, never logged). */
export async function issueToken(
  trx: Transaction<UserDatabase>,
  userId: string,
  purpose: Purpose,
  now: Date,
  expiresAt: Date,
): Promise<string> {
  const token = newToken();
  await trx
    .insertInto("user_tokens")
    .values({ token_hash: token.hash, purpose, user_id: userId, created_at: now, expires_at: expiresAt })
    .execute();
  return token.raw;
}

/**
 * Marks a token used if it is unused and unexpired, atomically (two concurrent uses cannot both
 * win). Returns the user id, or undefined for an unknown, used or expired token.
 */
export async function consumeToken(
  trx: Transaction<UserDatabase>,
  raw: string,
  purpose: Purpose,
  now: Date,
): Promise<string | undefined> {
  if (!isTokenShaped(raw)) return undefined;
  const row = await trx
    .updateTable("user_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", hashToken(raw))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id;
}

/** How an event hands a fresh token to the notification service without holding it in clear. */
export interface TokenDelivery {
  /** The link to email, up to the token: `{origin}{path}?token=`. */
  linkPrefix: string;
  /** The token sealed to the notification service's key; undefined when no key is configured. */
  sealedToken: SealedSecret | undefined;
}

/**
 * Seals a fresh token for its event: the event log, outbox and dead letters are read by many and
 * kept for days, so they only ever see ciphertext bound to the purpose and user
 * (`openSealedSecret(privateKey, sealed, "<purpose>:<user id>")` on the notification side).
 */
export function tokenDelivery(
  settings: Pick<UserSettings, "publicOrigin" | "notificationPublicKey">,
  path: string,
  purpose: Purpose,
  userId: string,
  token: string,
): TokenDelivery {
  const linkPrefix = `${new URL(path, settings.publicOrigin).toString()}?token=`;
  const key = settings.notificationPublicKey;
  return { linkPrefix, sealedToken: key ? sealSecret(key, token, `${purpose}:${userId}`) : undefined };
}
