/** A warehouse's stock of one SKU, as seen under the row lock that allocation runs inside. */
export interface AllocationCandidate {
  warehouseId: string;
  isDefault: boolean;
  available: number;
}

/** Units of one SKU taken from one warehouse. */
export interface WarehouseAllocation {
  warehouseId: string;
  quantity: number;
}

/**
 * The allocation rule: fill from the shop's default warehouse first (it is where the seller
 * ships from, one parcel is cheapest), then from the others by most available first (fewest
 * split parcels), ties by warehouse id so the result is deterministic. Returns undefined when
 * the warehouses together cannot cover `quantity` (all-or-nothing: nothing is allocated).
 */
export function allocate(
  quantity: number,
  candidates: readonly AllocationCandidate[],
): WarehouseAllocation[] | undefined {
  const ordered = [...candidates].sort(
    (a, b) =>
      Number(b.isDefault) - Number(a.isDefault) ||
      b.available - a.available ||
      (a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0),
  );
  const result: WarehouseAllocation[] = [];
  let remaining = quantity;
  for (const c of ordered) {
    if (remaining === 0) break;
    const take = Math.min(remaining, Math.max(0, c.available));
    if (take > 0) {
      result.push({ warehouseId: c.warehouseId, quantity: take });
      remaining -= take;
    }
  }
  return remaining === 0 ? result : undefined;
}
