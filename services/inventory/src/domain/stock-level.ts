import { errors } from "@toko/kit/errors";

/** Quantities of one SKU in one warehouse. `available` is derived, never stored. */
export interface StockQuantities {
  onHand: number;
  reserved: number;
}

/** A change to a stock level; every one becomes one ledger row. */
export interface StockDelta {
  onHandDelta: number;
  reservedDelta: number;
}

/** What a seller or a buyer can still take: on hand minus what checkouts hold. */
export function available(level: StockQuantities): number {
  return level.onHand - level.reserved;
}

/**
 * Applies a delta, enforcing the invariants 0 <= reserved <= on_hand (so available >= 0).
 * The database CHECKs enforce the same; this gives the caller a clear error first.
 */
export function applyDelta(level: StockQuantities, delta: StockDelta): StockQuantities {
  const next = { onHand: level.onHand + delta.onHandDelta, reserved: level.reserved + delta.reservedDelta };
  if (next.onHand < 0 || next.reserved < 0 || next.reserved > next.onHand) {
    throw errors.precondition(
      "INSUFFICIENT_STOCK",
      `not enough stock: on hand ${level.onHand}, reserved ${level.reserved}, change ${delta.onHandDelta}/${delta.reservedDelta}`,
    );
  }
  return next;
}

/** Sums stock levels (e.g. every warehouse of a SKU). */
export function total(levels: readonly StockQuantities[]): StockQuantities {
  return levels.reduce((acc, l) => ({ onHand: acc.onHand + l.onHand, reserved: acc.reserved + l.reserved }), {
    onHand: 0,
    reserved: 0,
  });
}

/**
 * LowStock fires when available crosses to at or below the reorder point (not on every change
 * while it stays low); a reorder point of 0 means "not tracked".
 */
export function lowStockCrossing(
  wasLow: boolean,
  availableNow: number,
  reorderPoint: number,
): { low: boolean; fire: boolean } {
  const low = reorderPoint > 0 && availableNow <= reorderPoint;
  return { low, fire: low && !wasLow };
}
