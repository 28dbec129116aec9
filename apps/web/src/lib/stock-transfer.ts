/** A stock level as `GET /api/v1/seller/stock` lists it. */
export interface Level {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
  available: number;
}

/** A transfer as `POST /api/v1/seller/stock/transfers` answers it. */
export interface Transfer {
  id: string;
  sku: string;
  from_warehouse_id: string;
  to_warehouse_id: string;
  quantity: number;
  status: string;
  created_at: string | null;
  received_at: string | null;
}

export type TransferProblem = "sameWarehouse" | "badQuantity" | "notEnough" | "incomplete";

/** Units of `sku` that can leave `warehouseId` now (0 when there is no level). */
export function availableAt(levels: readonly Level[], sku: string, warehouseId: string): number {
  return levels.find((l) => l.sku === sku && l.warehouse_id === warehouseId)?.available ?? 0;
}

/**
 * Why a transfer cannot be sent as typed, or undefined when it can: both warehouses chosen and
 * different, a whole positive quantity no larger than what is available at the source.
 */
export function transferProblem(
  input: { sku: string; from: string; to: string; quantity: string },
  levels: readonly Level[],
): TransferProblem | undefined {
  if (input.sku === "" || input.from === "" || input.to === "") return "incomplete";
  if (input.from === input.to) return "sameWarehouse";
  const quantity = Number(input.quantity);
  if (!/^\d+$/.test(input.quantity.trim()) || quantity < 1) return "badQuantity";
  if (quantity > availableAt(levels, input.sku, input.from)) return "notEnough";
  return undefined;
}

/**
 * The in-transit transfers kept in the browser (the API has no transfer list): the answer to a
 * receive replaces its entry, received ones drop out, newest first.
 */
export function trackTransfers(kept: readonly Transfer[], update: Transfer): Transfer[] {
  const others = kept.filter((t) => t.id !== update.id);
  return update.status === "in_transit" ? [update, ...others] : others;
}

/** Parses what was kept; anything unreadable is an empty list. */
export function readTransfers(raw: string | null): Transfer[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter(
          (t): t is Transfer =>
            typeof t === "object" &&
            t !== null &&
            typeof (t as Transfer).id === "string" &&
            (t as Transfer).status === "in_transit",
        )
      : [];
  } catch {
    return [];
  }
}
