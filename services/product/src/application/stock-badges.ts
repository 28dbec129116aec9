import { type StockStatus, stockStatus } from "../domain/stock-status.ts";
import { isId } from "./ids.ts";

/** Where the badges live; writes happen in the event consumer's transaction. */
export interface StockBadgeStore {
  /**
   * Sets the badge of the shop's variant with this SKU (any case) unless a later observation
   * was applied already; returns how many variants changed.
   */
  set(shopId: string, sku: string, status: StockStatus, observedAt: Date): Promise<number>;
}

/** A shop SKU's stock as inventory reported it. */
export interface StockObservation {
  shopId: string;
  sku: string;
  available: number;
  reorderPoint: number;
  observedAt: Date;
}

/**
 * Applies one stock report to the variant's badge. Reports for SKUs the catalog does not have
 * (or for malformed shop ids) change nothing; an older report never replaces a newer one.
 */
export async function recordStock(store: StockBadgeStore, report: StockObservation): Promise<number> {
  if (!isId(report.shopId) || report.sku.trim() === "") return 0;
  const status = stockStatus(report.available, report.reorderPoint);
  return store.set(report.shopId.toLowerCase(), report.sku.trim(), status, report.observedAt);
}
