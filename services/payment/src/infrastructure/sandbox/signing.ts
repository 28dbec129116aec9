import { createHmac, timingSafeEqual } from "node:crypto";
import { DomainError } from "@toko/kit";

/** Headers of a sandbox notification (Stripe-style: the timestamp is signed with the body). */
export const TIMESTAMP_HEADER = "x-sandbox-timestamp";
export const SIGNATURE_HEADER = "x-sandbox-signature";

/** HMAC-SHA256 over `<unix seconds>.<raw body>`, hex. */
export function signature(secret: string, timestamp: number, rawBody: Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/** The headers the sandbox sends with `rawBody` at `now`. */
export function signedHeaders(secret: string, rawBody: Buffer, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: `v1=${signature(secret, timestamp, rawBody)}`,
  };
}

function rejected(why: string): DomainError {
  return new DomainError("unauthenticated", "WEBHOOK_REJECTED", `notification rejected: ${why}`);
}

/**
 * Checks the signature and the timestamp's freshness; returns the signature (the replay key).
 * Compared in constant time; the reason is kept vague to the sender beyond stale vs. invalid.
 */
export function verifySignature(
  secret: string,
  headers: Record<string, string>,
  rawBody: Buffer,
  now: Date,
  toleranceSeconds: number,
): string {
  const stamp = headers[TIMESTAMP_HEADER] ?? "";
  const sent = /^v1=([0-9a-f]{64})$/.exec(headers[SIGNATURE_HEADER] ?? "")?.[1];
  if (!/^\d{1,12}$/.test(stamp) || !sent) throw rejected("missing or malformed signature headers");
  const timestamp = Number(stamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) throw rejected("stale timestamp");
  const expected = Buffer.from(signature(secret, timestamp, rawBody), "hex");
  if (!timingSafeEqual(expected, Buffer.from(sent, "hex"))) throw rejected("bad signature");
  return sent;
}
