import { errors, type FieldViolation } from "@toko/kit/errors";

/** held → committed | released | expired; the last three are final. */
export type ReservationStatus = "held" | "committed" | "released" | "expired";

/** One requested line: a quantity of a shop's SKU. */
export interface ReserveLine {
  shopId: string;
  sku: string;
  quantity: number;
}

export const MAX_TTL_SECONDS = 86_400;

/**
 * Validates a Reserve request and returns its lines merged per shop SKU and sorted, so the
 * same request always has the same canonical key (idempotency) and rows are locked in one
 * global order (no deadlocks between concurrent checkouts).
 */
export function normalizeReserve(checkoutId: string, lines: readonly ReserveLine[], ttlSeconds: number) {
  const violations: FieldViolation[] = [];
  if (!checkoutId.trim() || checkoutId.length > 128)
    violations.push({ field: "checkout_id", message: "required, at most 128 characters" });
  if (lines.length === 0) violations.push({ field: "lines", message: "at least one line" });
  if (lines.length > 200) violations.push({ field: "lines", message: "at most 200 lines" });
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)
    violations.push({ field: "ttl_seconds", message: `between 1 and ${MAX_TTL_SECONDS}` });
  const merged = new Map<string, ReserveLine>();
  lines.forEach((line, i) => {
    if (!line.shopId) violations.push({ field: `lines[${i}].shop_id`, message: "required" });
    if (!line.sku) violations.push({ field: `lines[${i}].sku`, message: "required" });
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      violations.push({ field: `lines[${i}].quantity`, message: "must be a positive integer" });
    const key = `${line.shopId}\u0000${line.sku}`;
    const prev = merged.get(key);
    merged.set(key, { ...line, quantity: (prev?.quantity ?? 0) + line.quantity });
  });
  if (violations.length > 0) throw errors.invalid("invalid reservation request", violations);
  const sorted = [...merged.values()].sort((a, b) =>
    a.shopId === b.shopId ? (a.sku < b.sku ? -1 : 1) : a.shopId < b.shopId ? -1 : 1,
  );
  const requestKey = sorted.map((l) => `${l.shopId}/${l.sku}x${l.quantity}`).join(",");
  return { lines: sorted, requestKey };
}

/** What a transition asks the caller to do with the held stock. */
export type Transition =
  | { kind: "apply"; next: ReservationStatus }
  | { kind: "noop" }
  | { kind: "reject"; error: Error };

/**
 * Commit: held → committed (deduct on hand and reserved). Repeating it changes nothing. After
 * Release or expiry the stock is gone back to the shelf, so Commit fails RESERVATION_RELEASED
 * and changes nothing: the saga must re-reserve or refund. A held reservation past its TTL
 * whose expiry timer has not fired yet is still committed: the stock was never given away.
 */
export function commitTransition(status: ReservationStatus): Transition {
  if (status === "held") return { kind: "apply", next: "committed" };
  if (status === "committed") return { kind: "noop" };
  return {
    kind: "reject",
    error: errors.precondition("RESERVATION_RELEASED", `the reservation was ${status}; nothing to commit`),
  };
}

/**
 * Release: held → released (reserved goes back to available). Repeating it, or releasing an
 * expired one, changes nothing. After Commit it fails RESERVATION_COMMITTED and changes
 * nothing: sold stock comes back only through a return.
 */
export function releaseTransition(status: ReservationStatus): Transition {
  if (status === "held") return { kind: "apply", next: "released" };
  if (status === "released" || status === "expired") return { kind: "noop" };
  return {
    kind: "reject",
    error: errors.precondition(
      "RESERVATION_COMMITTED",
      "the reservation was committed; restock through a return",
    ),
  };
}

/** Expiry (the durable timer): only a held reservation whose TTL has passed expires. */
export function expireTransition(status: ReservationStatus, expiresAt: Date, now: Date): Transition {
  if (status === "held" && expiresAt.getTime() <= now.getTime()) return { kind: "apply", next: "expired" };
  return { kind: "noop" };
}
