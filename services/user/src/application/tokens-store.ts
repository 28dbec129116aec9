import type { Transaction } from "@toko/kit";
import { hashToken, isTokenShaped, newToken } from "../domain/tokens.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";

type Purpose = "verify_email" | "reset_password";

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

/** The link the emailed token opens in the web app. */
export function tokenLink(origin: string, path: string, token: string): string {
  const url = new URL(path, origin);
  url.searchParams.set("token", token);
  return url.toString();
}
