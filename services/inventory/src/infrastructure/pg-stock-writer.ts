import { errors } from "@toko/kit";
import { sql } from "kysely";
import type { Movement, StockWriter, Trx } from "../application/ports.ts";

/** PostgreSQL's check_violation: a level would break 0 <= reserved <= on_hand. */
const CHECK_VIOLATION = "23514";

function isCheckViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === CHECK_VIOLATION;
}

const bytewise = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Marks SKUs for the coalesced StockChanged: bumps each mark's version, which also row-locks it
 * until the caller commits, so the publisher cannot clear a mark whose change it has not seen
 * (`stock-change-publisher.ts`). Marks are locked in one order (shop, sku; bytewise) so two
 * writers touching the same SKUs in different warehouses never deadlock.
 */
export async function markDirty(trx: Trx, skus: readonly { shopId: string; sku: string }[]): Promise<void> {
  if (skus.length === 0) return;
  const sorted = [...skus].sort((a, b) => bytewise(a.shopId, b.shopId) || bytewise(a.sku, b.sku));
  await sql`INSERT INTO stock_dirty (shop_id, sku)
    VALUES ${sql.join(sorted.map((s) => sql`(${s.shopId}, ${s.sku})`))}
    ON CONFLICT (shop_id, sku) DO UPDATE SET version = stock_dirty.version + 1`.execute(trx);
}

/**
 * Writes movements as ledger rows and the matching level changes in the caller's transaction,
 * and marks the SKUs for the coalesced StockChanged. Levels change only here, so they always
 * equal the ledger's sums. Deltas of one level are summed first (one upsert per level).
 */
export const pgStockWriter: StockWriter = {
  markDirty,
  async apply(trx: Trx, movements: readonly Movement[]) {
    if (movements.length === 0) return;
    for (const m of movements) {
      if (!Number.isSafeInteger(m.onHandDelta) || !Number.isSafeInteger(m.reservedDelta))
        throw errors.invalid("quantities must be integers");
    }
    const perLevel = new Map<
      string,
      { shopId: string; warehouseId: string; sku: string; onHand: number; reserved: number }
    >();
    for (const m of movements) {
      const key = `${m.warehouseId}\u0000${m.sku}`;
      const level = perLevel.get(key) ?? {
        shopId: m.shopId,
        warehouseId: m.warehouseId,
        sku: m.sku,
        onHand: 0,
        reserved: 0,
      };
      level.onHand += m.onHandDelta;
      level.reserved += m.reservedDelta;
      perLevel.set(key, level);
    }
    const levels = [...perLevel.values()].sort((a, b) =>
      a.warehouseId === b.warehouseId ? (a.sku < b.sku ? -1 : 1) : a.warehouseId < b.warehouseId ? -1 : 1,
    );
    // Only stock coming in can create a level; everything else must find one.
    const created = levels.filter((l) => l.onHand > 0);
    if (created.length > 0)
      await sql`INSERT INTO stock_levels (warehouse_id, sku, shop_id)
        VALUES ${sql.join(created.map((l) => sql`(${l.warehouseId}, ${l.sku}, ${l.shopId})`))}
        ON CONFLICT (warehouse_id, sku) DO NOTHING`.execute(trx);
    const values = sql.join(
      levels.map((l) => sql`(${l.warehouseId}, ${l.sku}, ${l.onHand}::bigint, ${l.reserved}::bigint)`),
    );
    // The global lock order (shop, sku, warehouse; bytewise), the same as Reserve's.
    await sql`SELECT 1 FROM stock_levels WHERE (warehouse_id, sku) IN
        (SELECT w, s FROM (VALUES ${values}) AS v (w, s, dh, dr))
        ORDER BY shop_id COLLATE "C", sku COLLATE "C", warehouse_id COLLATE "C" FOR UPDATE`.execute(trx);
    try {
      const updated = await sql`UPDATE stock_levels l
        SET on_hand = l.on_hand + v.dh, reserved = l.reserved + v.dr, updated_at = now()
        FROM (VALUES ${values}) AS v (w, s, dh, dr)
        WHERE l.warehouse_id = v.w AND l.sku = v.s`.execute(trx);
      if (Number(updated.numAffectedRows ?? 0) !== levels.length)
        throw errors.precondition("INSUFFICIENT_STOCK", "no stock of this SKU in that warehouse");
    } catch (error) {
      if (isCheckViolation(error))
        throw errors.precondition("INSUFFICIENT_STOCK", "not enough stock for this change");
      throw error;
    }
    await trx
      .insertInto("stock_ledger")
      .values(
        movements.map((m) => ({
          shop_id: m.shopId,
          warehouse_id: m.warehouseId,
          sku: m.sku,
          on_hand_delta: m.onHandDelta,
          reserved_delta: m.reservedDelta,
          reason: m.reason,
          actor: m.actor,
          reference: m.reference ?? "",
          note: m.note ?? "",
        })),
      )
      .execute();
    const skus = new Map(levels.map((l) => [`${l.shopId}\u0000${l.sku}`, l]));
    await markDirty(trx, [...skus.values()]);
  },
};
