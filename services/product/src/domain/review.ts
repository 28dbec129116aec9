import { DomainError, errors, type FieldViolation } from "@toko/kit/errors";

/** A line of a completed order, as learned from `OrderCompleted`; the right to review it once. */
export interface PurchasedLine {
  orderId: string;
  lineId: string;
  buyerId: string;
  productId: string;
  variantId: string;
  completedAt: Date;
  /** True once the line has a review. */
  reviewed: boolean;
}

export const MAX_REVIEW_TEXT = 2_000;

/** Validates stars (1–5) and text; returns the trimmed text. */
export function checkReviewContent(rating: number, text: string): string {
  const violations: FieldViolation[] = [];
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    violations.push({ field: "rating", message: "must be a whole number of stars from 1 to 5" });
  }
  const trimmed = text.trim();
  if (trimmed.length > MAX_REVIEW_TEXT) {
    violations.push({ field: "text", message: `must be at most ${MAX_REVIEW_TEXT} characters` });
  }
  if (violations.length > 0) throw errors.invalid("the review is invalid", violations);
  return trimmed;
}

/**
 * Picks the purchased line a review is for. Only the buyer of a completed order may review,
 * once per line; without an explicit line, the buyer's oldest unreviewed line of the product.
 */
export function chooseReviewableLine(
  lines: readonly PurchasedLine[],
  buyerId: string,
  productId: string,
  requested: { orderId: string; lineId: string } | null,
): PurchasedLine {
  const mine = lines.filter((l) => l.buyerId === buyerId && l.productId === productId);
  const candidates = requested
    ? mine.filter(
        (l) => l.orderId === requested.orderId && (requested.lineId === "" || l.lineId === requested.lineId),
      )
    : mine;
  if (candidates.length === 0) {
    throw new DomainError(
      "permission_denied",
      "REVIEW_NOT_ALLOWED",
      "only buyers of a completed order that contains this product can review it",
    );
  }
  const open = candidates
    .filter((l) => !l.reviewed)
    .sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime() || a.lineId.localeCompare(b.lineId));
  const line = open[0];
  if (!line) throw errors.conflict("ALREADY_REVIEWED", "every purchase of this product has been reviewed");
  return line;
}
