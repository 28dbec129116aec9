/** The badge a buyer sees on a variant. "unknown" until inventory first reports. */
export type StockStatus = "in_stock" | "low_stock" | "out_of_stock" | "unknown";

/** Without a reorder point set by the seller, "low" means this many or fewer left. */
export const DEFAULT_LOW_STOCK = 5;

/**
 * The badge for an available quantity: none left is out of stock; at or below the seller's
 * reorder point (or DEFAULT_LOW_STOCK when there is none) is low; anything more is in stock.
 */
export function stockStatus(available: number, reorderPoint: number): StockStatus {
  if (available <= 0) return "out_of_stock";
  const threshold = reorderPoint > 0 ? reorderPoint : DEFAULT_LOW_STOCK;
  return available <= threshold ? "low_stock" : "in_stock";
}
