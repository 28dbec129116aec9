import { errors } from "@toko/kit";
import { sql } from "kysely";
import {
  assertTransition,
  checkOrderLines,
  type PurchaseOrderStatus,
  type ReceiptLine,
  receive,
} from "../domain/purchase-order.ts";
import { newId } from "./ids.ts";
import { createdMicros, decodeCursor, fromMicros, type PageInput, pageLimit, toPage } from "./page.ts";
import type { Db, IdempotentWrites, ShopDirectory, StockWriter, Trx, WriteKey } from "./ports.ts";
import { assertKnownSkus, ownWarehouse, type Seller } from "./shop-scope.ts";
import type { Suppliers } from "./suppliers.ts";

const DAY_MS = 86_400_000;

/** Purchase orders: drafting, sending, receiving into stock through the ledger, closing. */
export class PurchaseOrders {
  constructor(
    private readonly db: Db,
    private readonly writer: StockWriter,
    private readonly directory: ShopDirectory,
    private readonly suppliers: Suppliers,
    private readonly keyed: IdempotentWrites,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    seller: Seller,
    input: {
      supplierId: string;
      warehouseId: string;
      lines: { sku: string; quantity: number; unitCost: number }[];
    },
  ) {
    checkOrderLines(input.lines);
    await this.suppliers.get(seller.shopId, input.supplierId);
    await ownWarehouse(this.db, seller.shopId, input.warehouseId);
    await assertKnownSkus(
      this.db,
      this.directory,
      seller,
      input.lines.map((l) => l.sku),
      "lines.sku",
    );
    const id = newId("po");
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("purchase_orders")
        .values({
          id,
          shop_id: seller.shopId,
          supplier_id: input.supplierId,
          warehouse_id: input.warehouseId,
          status: "draft",
        })
        .execute();
      await trx
        .insertInto("purchase_order_lines")
        .values(
          input.lines.map((l) => ({
            purchase_order_id: id,
            sku: l.sku,
            quantity: l.quantity,
            unit_cost: l.unitCost,
          })),
        )
        .execute();
    });
    return this.get(seller.shopId, id);
  }

  /**
   * A page of the shop's purchase orders, newest first (optionally one supplier's): keyset on
   * (created_at desc, id desc); the page's lines come in one query.
   */
  async list(shopId: string, page: PageInput, supplierId?: string) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor("po", page.cursor, ["integer", "string"]);
    let q = this.db
      .selectFrom("purchase_orders")
      .selectAll()
      .select(createdMicros("created_at").as("created_us"))
      .where("shop_id", "=", shopId);
    if (supplierId) q = q.where("supplier_id", "=", supplierId);
    if (after) q = q.where(sql<boolean>`(created_at, id) < (${fromMicros(after[0] ?? 0)}, ${after[1]})`);
    const rows = await q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const result = toPage(rows, limit, "po", (po) => [po.created_us, po.id]);
    return { items: await this.withLines(this.db, result.items), nextCursor: result.nextCursor };
  }

  /** One purchase order with its lines; NOT_FOUND for another shop's. */
  async get(shopId: string, id: string, trx: Trx | Db = this.db) {
    const po = await trx
      .selectFrom("purchase_orders")
      .selectAll()
      .where("id", "=", id)
      .where("shop_id", "=", shopId)
      .executeTakeFirst();
    if (!po) throw errors.notFound("purchase order");
    const [withLines] = await this.withLines(trx, [po]);
    if (!withLines) throw errors.notFound("purchase order");
    return withLines;
  }

  /** The orders with their lines (by SKU), read in one query whatever their number. */
  private async withLines<T extends { id: string; status: string }>(trx: Trx | Db, orders: T[]) {
    const ids = orders.map((po) => po.id);
    const lines =
      ids.length === 0
        ? []
        : await trx
            .selectFrom("purchase_order_lines")
            .selectAll()
            .where(sql<boolean>`purchase_order_id = ANY(${ids}::text[])`)
            .orderBy("purchase_order_id")
            .orderBy("sku")
            .execute();
    const byOrder = new Map<string, typeof lines>();
    for (const line of lines) {
      const group = byOrder.get(line.purchase_order_id);
      if (group) group.push(line);
      else byOrder.set(line.purchase_order_id, [line]);
    }
    return orders.map((po) => ({
      ...po,
      status: po.status as PurchaseOrderStatus,
      lines: byOrder.get(po.id) ?? [],
    }));
  }

  /** draft → sent; expected = sent + the supplier's lead time. */
  send(seller: Seller, id: string) {
    return this.change(seller, id, undefined, async (trx, po) => {
      assertTransition(po.status, "send");
      const supplier = await this.suppliers.get(seller.shopId, po.supplier_id);
      const sentAt = this.now();
      await trx
        .updateTable("purchase_orders")
        .set({
          status: "sent",
          sent_at: sentAt,
          expected_at: new Date(sentAt.getTime() + supplier.lead_time_days * DAY_MS),
        })
        .where("id", "=", id)
        .execute();
    });
  }

  /** Books a delivery: accepted units go to the order's warehouse as `receipt` ledger rows. */
  receive(seller: Seller, id: string, receipt: readonly ReceiptLine[], idempotencyKey = "") {
    const key = {
      shopId: seller.shopId,
      operation: "receive",
      key: idempotencyKey,
      request: { id, receipt },
    };
    return this.change(seller, id, key, async (trx, po) => {
      assertTransition(po.status, "receive");
      const result = receive(
        po.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitCost: l.unit_cost,
          received: l.received,
          rejected: l.rejected,
        })),
        receipt,
      );
      const at = this.now();
      for (const line of result.lines) {
        await trx
          .updateTable("purchase_order_lines")
          .set({ received: line.received, rejected: line.rejected })
          .where("purchase_order_id", "=", id)
          .where("sku", "=", line.sku)
          .execute();
      }
      await trx
        .insertInto("purchase_order_receipts")
        .values(
          receipt.map((r) => ({
            purchase_order_id: id,
            sku: r.sku,
            received: r.received,
            rejected: r.rejected,
            received_at: at,
            actor: seller.actor,
          })),
        )
        .execute();
      await this.writer.apply(
        trx,
        receipt
          .filter((r) => r.received > 0)
          .map((r) => ({
            shopId: seller.shopId,
            warehouseId: po.warehouse_id,
            sku: r.sku,
            onHandDelta: r.received,
            reservedDelta: 0,
            reason: "receipt" as const,
            actor: seller.actor,
            reference: id,
            note: r.rejected > 0 ? `${r.rejected} rejected` : "",
          })),
      );
      await trx
        .updateTable("purchase_orders")
        .set({
          status: result.status,
          last_receipt_at: at,
          finished_at: result.status === "received" ? at : null,
        })
        .where("id", "=", id)
        .execute();
    });
  }

  /** received or partially received → closed (what is still outstanding will not come). */
  close(seller: Seller, id: string) {
    return this.change(seller, id, undefined, async (trx, po) => {
      assertTransition(po.status, "close");
      await trx
        .updateTable("purchase_orders")
        .set({ status: "closed", finished_at: po.finished_at ?? this.now() })
        .where("id", "=", id)
        .execute();
    });
  }

  /** draft or sent → cancelled. */
  cancel(seller: Seller, id: string) {
    return this.change(seller, id, undefined, async (trx, po) => {
      assertTransition(po.status, "cancel");
      await trx
        .updateTable("purchase_orders")
        .set({ status: "cancelled", finished_at: this.now() })
        .where("id", "=", id)
        .execute();
    });
  }

  /** Changes one order under its row lock; a keyed change runs once (`IdempotentWrites`). */
  private change(
    seller: Seller,
    id: string,
    key: WriteKey | undefined,
    fn: (trx: Trx, po: Awaited<ReturnType<PurchaseOrders["get"]>>) => Promise<void>,
  ) {
    const write = async (trx: Trx) => {
      // The row lock serialises concurrent receipts of one order.
      await sql`SELECT 1 FROM purchase_orders WHERE id = ${id} AND shop_id = ${seller.shopId} FOR UPDATE`.execute(
        trx,
      );
      await fn(trx, await this.get(seller.shopId, id, trx));
      return this.get(seller.shopId, id, trx);
    };
    return this.db
      .transaction()
      .execute((trx) => (key ? this.keyed.once(trx, key, () => write(trx)) : write(trx)));
  }
}
