import { createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookVerifier } from "../application/ports.ts";

/** How old a signature may be: a captured webhook cannot be replayed after this. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

const HEADER = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

/** The signature header for `body` signed with `secret` at `at`: "t=<unix s>,v1=<hex>". */
export function signWebhook(secret: string, body: Uint8Array | string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
  return `t=${t},v1=${mac}`;
}

/**
 * HMAC-SHA256 over "<timestamp>.<raw body>" with the carrier's own secret, compared in
 * constant time; a timestamp more than five minutes away from now is stale. A carrier without
 * a secret never verifies.
 */
export function hmacWebhookVerifier(secrets: ReadonlyMap<string, string>): WebhookVerifier {
  return {
    verify(carrierCode, body, signature, now) {
      const secret = secrets.get(carrierCode);
      const match = HEADER.exec(signature.trim());
      if (!secret || !match) return "bad_signature";
      const t = Number(match[1]);
      const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex"));
      const given = Buffer.from(match[2] ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad_signature";
      if (Math.abs(now.getTime() - t * 1000) > SIGNATURE_TOLERANCE_MS) return "stale";
      return "ok";
    },
  };
}
