import { DomainError, errors } from "@toko/kit/errors";

/** What the cart knows about a variant (its local projection of the catalog and stock). */
export interface VariantFacts {
  price: number;
  /** "active", "archived" or "draft". */
  productStatus: string;
  /** False when the seller retired the variant. */
  active: boolean;
  minOrder: number;
  /** Units available across warehouses; null until inventory reports. */
  available: number | null;
  /** The catalog's stock badge, used until inventory reports. */
  stockBadge: string;
  reorderPoint: number;
}

/** Why a line cannot be bought as it stands (PRICE_CHANGED only informs). */
export type LineProblem =
  | "PRODUCT_ARCHIVED"
  | "PRODUCT_UNAVAILABLE"
  | "VARIANT_RETIRED"
  | "OUT_OF_STOCK"
  | "ABOVE_STOCK"
  | "BELOW_MIN_ORDER"
  | "PRICE_CHANGED";

/** The low-stock threshold when the seller set no reorder point (the catalog's badge uses the same). */
const DEFAULT_LOW_STOCK = 5;

/**
 * "in_stock", "low_stock" (at or below the reorder point, 5 when none is set), "out_of_stock" or
 * "unknown" — inventory's count, once reported, wins over the catalog's badge.
 */
export function stockStatus(v: VariantFacts): string {
  if (v.available === null) return v.stockBadge || "unknown";
  if (v.available <= 0) return "out_of_stock";
  if (v.available <= (v.reorderPoint > 0 ? v.reorderPoint : DEFAULT_LOW_STOCK)) return "low_stock";
  return "in_stock";
}

/** The largest quantity a line may hold: the per-line maximum, and the stock once known. */
export function maxQuantity(v: VariantFacts, lineMax: number): number {
  return v.available === null ? lineMax : Math.max(0, Math.min(lineMax, v.available));
}

/** A line's problems, in a fixed order. */
export function lineProblems(quantity: number, priceWhenAdded: number, v: VariantFacts): LineProblem[] {
  const out: LineProblem[] = [];
  if (v.productStatus === "archived") out.push("PRODUCT_ARCHIVED");
  else if (v.productStatus !== "active") out.push("PRODUCT_UNAVAILABLE");
  if (!v.active) out.push("VARIANT_RETIRED");
  const status = stockStatus(v);
  if (status === "out_of_stock") out.push("OUT_OF_STOCK");
  else if (v.available !== null && quantity > v.available) out.push("ABOVE_STOCK");
  if (quantity < v.minOrder) out.push("BELOW_MIN_ORDER");
  if (v.price !== priceWhenAdded) out.push("PRICE_CHANGED");
  return out;
}

/** Whether a line with these problems counts in the totals (a new price alone does not stop it). */
export function isPurchasable(problems: readonly LineProblem[]): boolean {
  return problems.every((p) => p === "PRICE_CHANGED");
}

/**
 * Checks the quantity a line would hold after an add or an edit: a positive whole number, at
 * least the product's minimum order, at most the line maximum and the known stock. A variant
 * that cannot be sold is refused first (archived: PRODUCT_ARCHIVED; retired or not on sale:
 * NOT_FOUND; none left: OUT_OF_STOCK).
 */
export function checkLineQuantity(quantity: number, v: VariantFacts, lineMax: number): void {
  if (!Number.isInteger(quantity) || quantity < 1)
    throw errors.invalid("invalid quantity", [{ field: "quantity", message: "must be a whole number ≥ 1" }]);
  if (v.productStatus === "archived")
    throw new DomainError("conflict", "PRODUCT_ARCHIVED", "the product is no longer sold");
  if (v.productStatus !== "active" || !v.active) throw errors.notFound("variant");
  if (stockStatus(v) === "out_of_stock")
    throw new DomainError("conflict", "OUT_OF_STOCK", "the variant is out of stock");
  const max = maxQuantity(v, lineMax);
  if (quantity > max)
    throw errors.invalid("quantity above the maximum", [
      { field: "quantity", message: `must be at most ${max}` },
    ]);
  if (quantity < v.minOrder)
    throw errors.invalid("quantity below the minimum order", [
      { field: "quantity", message: `must be at least ${v.minOrder} (the product's minimum order)` },
    ]);
}

/**
 * A merged line's quantity: the two carts' quantities added, capped by the line maximum and the
 * known stock (never below 1, so the line stays visible with its problems).
 */
export function mergedQuantity(mine: number, guest: number, v: VariantFacts, lineMax: number): number {
  return Math.max(1, Math.min(mine + guest, maxQuantity(v, lineMax) || mine || guest));
}
