import { createHash } from "node:crypto";
import { DomainError } from "@toko/kit/errors";

/**
 * A page cursor: the sort key and id of the last item shown, the instant the first page was
 * ranked at (so recency, and with it every score, is the same on every page) and a fingerprint
 * of the query, filters and sort (a cursor from another search is refused, not misapplied).
 */
export interface Cursor {
  key: number;
  id: string;
  asOf: number;
  fingerprint: string;
}

/** A short hash of whatever identifies a result list. */
export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id, c.asOf, c.fingerprint])).toString("base64url");
}

const invalid = () => new DomainError("invalid", "INVALID_CURSOR", "The cursor is not valid for this search");

/** Decodes a cursor of this result list; INVALID_CURSOR otherwise. */
export function decodeCursor(text: string, expectedFingerprint: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [key, id, asOf, fp] = parsed as unknown[];
  if (
    typeof key !== "number" ||
    !Number.isFinite(key) ||
    typeof id !== "string" ||
    id.length > 128 ||
    typeof asOf !== "number" ||
    !Number.isSafeInteger(asOf) ||
    fp !== expectedFingerprint
  ) {
    throw invalid();
  }
  return { key, id, asOf, fingerprint: fp };
}
