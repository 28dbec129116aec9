import { DomainError, errors, type FieldViolation } from "@toko/kit";
import { sql } from "kysely";
import { checkSku } from "../domain/warehouse.ts";
import { newId } from "./ids.ts";
import { decodeCursor, type PageInput, pageLimit, toPage } from "./page.ts";
import type { Db, IdempotentWrites, ShopDirectory, StockWriter, Trx } from "./ports.ts";
import { assertKnownSkus, ownWarehouse, type Seller } from "./shop-scope.ts";

function invalid(violations: FieldViolation[], message = "invalid request"): void {
  if (violations.length > 0) throw errors.invalid(message, violations);
}

function positive(value: number, field: string): FieldViolation[] {
  return Number.isSafeInteger(value) && value > 0 ? [] : [{ field, message: "must be a positive integer" }];
}

/** Seller-side stock: levels, audited adjustments, transfers, reorder points, the ledger. */
export class Stock {
  constructor(
    private readonly db: Db,
    private readonly writer: StockWriter,
    private readonly directory: ShopDirectory,
    private readonly keyed: IdempotentWrites,
  ) {}

  /** A page of the shop's levels (optionally one SKU) with their reorder points: keyset on (sku, warehouse). */
  async levels(shopId: string, page: PageInput, sku?: string) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor("lvl", page.cursor, ["string", "string"]);
    let q = this.levelQuery(shopId);
    if (sku) q = q.where("l.sku", "=", sku);
    if (after) q = q.where(sql<boolean>`(l.sku, l.warehouse_id) > (${after[0]}, ${after[1]})`);
    const rows = await q
      .orderBy("l.sku")
      .orderBy("l.warehouse_id")
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, "lvl", (l) => [l.sku, l.warehouse_id]);
  }

  private levelQuery(shopId: string, db: Db | Trx = this.db) {
    return db
      .selectFrom("stock_levels as l")
      .leftJoin("reorder_points as r", (j) =>
        j.onRef("r.shop_id", "=", "l.shop_id").onRef("r.sku", "=", "l.sku"),
      )
      .select(["l.sku", "l.warehouse_id", "l.on_hand", "l.reserved", "r.reorder_point"])
      .where("l.shop_id", "=", shopId);
  }

  /** An audited change of on hand (reason required); never below what is reserved. */
  async adjust(
    seller: Seller,
    input: { sku: string; warehouseId: string; delta: number; reason: string; isReturn: boolean },
    idempotencyKey = "",
  ) {
    const violations = [...checkSku(input.sku)];
    if (!Number.isSafeInteger(input.delta) || input.delta === 0)
      violations.push({ field: "delta", message: "must be a non-zero integer" });
    if (input.isReturn && input.delta < 0)
      violations.push({ field: "delta", message: "a return adds stock" });
    if (!input.reason.trim() || input.reason.length > 500)
      violations.push({ field: "reason", message: "required, at most 500 characters" });
    invalid(violations, "invalid adjustment");
    await ownWarehouse(this.db, seller.shopId, input.warehouseId);
    await assertKnownSkus(this.db, this.directory, seller, [input.sku]);
    const key = { shopId: seller.shopId, operation: "adjust", key: idempotencyKey, request: input };
    return this.db.transaction().execute((trx) =>
      this.keyed.once(trx, key, async () => {
        await this.writer.apply(trx, [
          {
            shopId: seller.shopId,
            warehouseId: input.warehouseId,
            sku: input.sku,
            onHandDelta: input.delta,
            reservedDelta: 0,
            reason: input.isReturn ? "return" : "adjustment",
            actor: seller.actor,
            note: input.reason.trim(),
          },
        ]);
        const level = await this.levelQuery(seller.shopId, trx)
          .where("l.sku", "=", input.sku)
          .where("l.warehouse_id", "=", input.warehouseId)
          .executeTakeFirst();
        if (!level) throw errors.notFound("stock level");
        return level;
      }),
    );
  }

  /** Takes stock out of one warehouse; it is in transit (in no level) until received. */
  async transfer(
    seller: Seller,
    input: { sku: string; fromWarehouseId: string; toWarehouseId: string; quantity: number },
    idempotencyKey = "",
  ) {
    const violations = [...checkSku(input.sku), ...positive(input.quantity, "quantity")];
    if (input.fromWarehouseId === input.toWarehouseId)
      violations.push({ field: "to_warehouse_id", message: "must differ from from_warehouse_id" });
    invalid(violations, "invalid transfer");
    await ownWarehouse(this.db, seller.shopId, input.fromWarehouseId, "from_warehouse_id");
    await ownWarehouse(this.db, seller.shopId, input.toWarehouseId, "to_warehouse_id");
    await assertKnownSkus(this.db, this.directory, seller, [input.sku]);
    const id = newId("tr");
    const key = { shopId: seller.shopId, operation: "transfer", key: idempotencyKey, request: input };
    return this.db.transaction().execute((trx) =>
      this.keyed.once(trx, key, async () => {
        const transfer = await trx
          .insertInto("transfers")
          .values({
            id,
            shop_id: seller.shopId,
            sku: input.sku,
            from_warehouse_id: input.fromWarehouseId,
            to_warehouse_id: input.toWarehouseId,
            quantity: input.quantity,
            status: "in_transit",
            actor: seller.actor,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.writer.apply(trx, [
          {
            shopId: seller.shopId,
            warehouseId: input.fromWarehouseId,
            sku: input.sku,
            onHandDelta: -input.quantity,
            reservedDelta: 0,
            reason: "transfer",
            actor: seller.actor,
            reference: id,
            note: `to ${input.toWarehouseId}`,
          },
        ]);
        return transfer;
      }),
    );
  }

  /** Books an in-transit transfer into its destination; receiving twice changes nothing. */
  async receiveTransfer(seller: Seller, transferId: string) {
    return this.db.transaction().execute(async (trx) => {
      const transfer = await trx
        .selectFrom("transfers")
        .selectAll()
        .where("id", "=", transferId)
        .where("shop_id", "=", seller.shopId)
        .forUpdate()
        .executeTakeFirst();
      if (!transfer) throw errors.notFound("transfer");
      if (transfer.status === "received") return transfer;
      await this.writer.apply(trx, [
        {
          shopId: seller.shopId,
          warehouseId: transfer.to_warehouse_id,
          sku: transfer.sku,
          onHandDelta: transfer.quantity,
          reservedDelta: 0,
          reason: "transfer",
          actor: seller.actor,
          reference: transfer.id,
          note: `from ${transfer.from_warehouse_id}`,
        },
      ]);
      return trx
        .updateTable("transfers")
        .set({ status: "received", received_at: sql<Date>`now()` })
        .where("id", "=", transferId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** Sets a SKU's reorder point; the next coalesced window re-evaluates LowStock. */
  async setReorderPoint(seller: Seller, sku: string, reorderPoint: number) {
    const violations = [...checkSku(sku)];
    if (!Number.isSafeInteger(reorderPoint) || reorderPoint < 0)
      violations.push({ field: "reorder_point", message: "must be a non-negative integer" });
    invalid(violations, "invalid reorder point");
    await assertKnownSkus(this.db, this.directory, seller, [sku]);
    await this.db.transaction().execute(async (trx) => {
      // The mark first: the publisher updates reorder points while holding no mark it waits on.
      await this.writer.markDirty(trx, [{ shopId: seller.shopId, sku }]);
      await trx
        .insertInto("reorder_points")
        .values({ shop_id: seller.shopId, sku, reorder_point: reorderPoint })
        .onConflict((oc) => oc.columns(["shop_id", "sku"]).doUpdateSet({ reorder_point: reorderPoint }))
        .execute();
    });
    return { sku, reorderPoint };
  }

  /** The ledger of one SKU in the shop, newest first. */
  ledger(shopId: string, sku: string, limit: number) {
    invalid(checkSku(sku));
    const n = limit <= 0 ? 50 : Math.min(limit, 500);
    return this.db
      .selectFrom("stock_ledger")
      .selectAll()
      .where("shop_id", "=", shopId)
      .where("sku", "=", sku)
      .orderBy("id", "desc")
      .limit(n)
      .execute();
  }

  /** Available per shop SKU across warehouses; unstocked SKUs report 0. */
  async availability(items: readonly { shopId: string; sku: string }[]) {
    if (items.length === 0) return [];
    if (items.length > 500) throw new DomainError("invalid", "VALIDATION_FAILED", "at most 500 items");
    const { rows } = await sql<{ shop_id: string; sku: string; available: number }>`
      SELECT shop_id, sku, sum(on_hand - reserved)::bigint AS available FROM stock_levels
       WHERE (shop_id, sku) IN (VALUES ${sql.join(items.map((i) => sql`(${i.shopId}, ${i.sku})`))})
       GROUP BY shop_id, sku`.execute(this.db);
    const byKey = new Map(rows.map((r) => [`${r.shop_id}\u0000${r.sku}`, Number(r.available)]));
    return items.map((i) => ({ ...i, available: byKey.get(`${i.shopId}\u0000${i.sku}`) ?? 0 }));
  }
}
