import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

const LIMIT_BYTES = 8 * 1024;

/** A bad form submission; rendered as a 400 page. */
export class FormError extends Error {}

/** Reads an `application/x-www-form-urlencoded` body of at most 8 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new FormError("expected a form submission");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMIT_BYTES) throw new FormError("the form is too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * CSRF tokens bound to one interaction: the uid is random, lives only in the victim's URL and
 * interaction cookie, and the token is a MAC of it, so another site cannot forge a submission.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  issue(uid: string): string {
    return createHmac("sha256", this.key).update(`csrf:${uid}`).digest("base64url");
  }

  valid(uid: string, token: string | null): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.issue(uid));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
