import type { Logger } from "@toko/kit";
import { sql } from "kysely";
import type { Db, InventoryEvents, SkuTotals } from "../application/ports.ts";
import { lowStockCrossing } from "../domain/stock-level.ts";
import { every } from "./every.ts";

// One publisher at a time across replicas, so a SKU's StockChanged events leave in order.
const PUBLISHER_LOCK = 727_054;

export interface StockChangePublisherOptions {
  db: Db;
  events: InventoryEvents;
  logger: Logger;
  /** The coalescing window: changes within it become one StockChanged per SKU; default 500 ms. */
  windowMs?: number;
}

/** A running publisher. */
export interface StockChangePublisher {
  /** Publishes everything marked so far; resolves with the SKUs published (tests use it). */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Coalesces stock changes: writers mark a SKU in `stock_dirty` in their transaction (bumping
 * the mark's version and so holding its row lock until they commit); once per window this reads
 * the marks, writes one StockChanged per SKU with the totals read after them (plus LowStock on a
 * crossing of the reorder point) to the outbox, and clears only the marks still at the version
 * it read and not locked — in one transaction. A change that commits after the totals were read
 * therefore leaves its SKU dirty, so the last state is always published (at worst twice).
 */
export function startStockChangePublisher(options: StockChangePublisherOptions): StockChangePublisher {
  const { db, events, logger } = options;
  const windowMs = options.windowMs ?? 500;

  const flush = () =>
    db.transaction().execute(async (trx) => {
      const lock = await sql<{
        ok: boolean;
      }>`SELECT pg_try_advisory_xact_lock(${PUBLISHER_LOCK}) AS ok`.execute(trx);
      if (!lock.rows[0]?.ok) return 0;
      // The committed marks, read without locks (a writer in flight must not stall the publisher).
      const { rows } = await sql<{ shop_id: string; sku: string; version: string }>`
        SELECT shop_id, sku, version FROM stock_dirty LIMIT 1000`.execute(trx);
      if (rows.length === 0) return 0;
      const keys = sql.join(rows.map((r) => sql`(${r.shop_id}, ${r.sku})`));
      const { rows: totals } = await sql<{
        shop_id: string;
        sku: string;
        on_hand: number;
        reserved: number;
        reorder_point: number | null;
        low: boolean | null;
      }>`SELECT k.shop_id, k.sku, coalesce(sum(l.on_hand), 0)::bigint AS on_hand,
                coalesce(sum(l.reserved), 0)::bigint AS reserved, r.reorder_point, r.low
           FROM (VALUES ${keys}) AS k (shop_id, sku)
           LEFT JOIN stock_levels l ON l.shop_id = k.shop_id AND l.sku = k.sku
           LEFT JOIN reorder_points r ON r.shop_id = k.shop_id AND r.sku = k.sku
          GROUP BY k.shop_id, k.sku, r.reorder_point, r.low
          ORDER BY k.shop_id, k.sku`.execute(trx);
      const changed: SkuTotals[] = [];
      const low: SkuTotals[] = [];
      for (const t of totals) {
        const onHand = Number(t.on_hand);
        const reserved = Number(t.reserved);
        const item = {
          shopId: t.shop_id,
          sku: t.sku,
          onHand,
          reserved,
          available: onHand - reserved,
          reorderPoint: Number(t.reorder_point ?? 0),
        };
        changed.push(item);
        if (t.reorder_point === null) continue;
        const crossing = lowStockCrossing(t.low ?? false, item.available, item.reorderPoint);
        if (crossing.fire) low.push(item);
        if (crossing.low !== t.low)
          await trx
            .updateTable("reorder_points")
            .set({ low: crossing.low })
            .where("shop_id", "=", t.shop_id)
            .where("sku", "=", t.sku)
            .execute();
      }
      await events.stockChanged(trx, changed);
      await events.lowStock(trx, low);
      // Compare-and-clear, after the totals were read: a mark whose version moved (a writer
      // committed since) or that is locked (a writer is committing) stays for the next window.
      const seen = sql.join(rows.map((r) => sql`(${r.shop_id}, ${r.sku}, ${r.version}::bigint)`));
      await sql`DELETE FROM stock_dirty WHERE (shop_id, sku) IN (
          SELECT d.shop_id, d.sku FROM stock_dirty d
            JOIN (VALUES ${seen}) AS s (shop_id, sku, version)
              ON d.shop_id = s.shop_id AND d.sku = s.sku AND d.version = s.version
             FOR UPDATE OF d SKIP LOCKED)`.execute(trx);
      return changed.length;
    });

  const periodic = every(windowMs, flush, logger, "stock events: flush failed; will retry next window");

  return {
    flush,
    stop: () => periodic.stop(),
  };
}
