import { cancelTimer, type Kysely, scheduleTimer, sql, type Transaction } from "@toko/kit";
import type { OrderEvents, OrderReads, OrderTx, SagaTimers, UnitOfWork } from "../application/ports.ts";
import { checkoutFromRow, checkoutRow, orderFromRow, orderRow, returnFromRow, returnRow } from "./rows.ts";
import type { OrderDatabase } from "./schema.ts";

type Trx = Transaction<OrderDatabase>;

/** The saga's kit timer kinds. */
export const TIMERS = {
  resume: "order.checkout.resume",
  commit: "order.checkout.commit",
  release: "order.checkout.release",
  acceptBy: "order.accept-by",
  completeBy: "order.complete-by",
  refund: "order.refund",
  restock: "order.restock",
  settleCod: "order.cod.settle",
} as const;

function sagaTimers(trx: Trx, now: () => Date): SagaTimers {
  const at = (kind: string, key: string, when: Date, payload?: unknown) =>
    scheduleTimer(trx, { kind, key, at: when, payload });
  return {
    resumeCheckout: (id, when) => at(TIMERS.resume, id, when),
    cancelResume: async (id) => {
      await cancelTimer(trx, TIMERS.resume, id);
    },
    commitCheckout: (id) => at(TIMERS.commit, id, now()),
    releaseCheckout: (id, reason) => at(TIMERS.release, id, now(), { reason }),
    acceptBy: (id, when) => at(TIMERS.acceptBy, id, when),
    cancelAcceptBy: async (id) => {
      await cancelTimer(trx, TIMERS.acceptBy, id);
    },
    completeBy: (id, when) => at(TIMERS.completeBy, id, when),
    cancelCompleteBy: async (id) => {
      await cancelTimer(trx, TIMERS.completeBy, id);
    },
    refund: (intent, paymentId) => at(TIMERS.refund, intent.refundId, now(), { ...intent, paymentId }),
    restock: (intent) => at(TIMERS.restock, intent.key, now(), intent),
    settleCod: (id, when) => at(TIMERS.settleCod, id, when),
  };
}

/** The write side of one transaction. */
export function orderTx(
  trx: Trx,
  events: (trx: Trx) => OrderEvents,
  now: () => Date = () => new Date(),
): OrderTx {
  return {
    checkouts: {
      async insert(c) {
        const res = await trx
          .insertInto("checkouts")
          .values(checkoutRow(c, now()))
          .onConflict((oc) => oc.columns(["buyer_id", "idempotency_key"]).doNothing())
          .executeTakeFirst();
        return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
      },
      async lock(id) {
        const row = await trx
          .selectFrom("checkouts")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        return row ? checkoutFromRow(row) : null;
      },
      async save(c) {
        const { id: _id, ...rest } = checkoutRow(c, now());
        await trx.updateTable("checkouts").set(rest).where("id", "=", c.id).execute();
      },
    },
    orders: {
      async insert(orders) {
        if (orders.length === 0) return;
        await trx
          .insertInto("orders")
          .values(orders.map((o) => orderRow(o, now())))
          .execute();
      },
      async lock(id) {
        const row = await trx
          .selectFrom("orders")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        return row ? orderFromRow(row) : null;
      },
      async lockOfCheckout(checkoutId) {
        const rows = await trx
          .selectFrom("orders")
          .selectAll()
          .where("checkout_id", "=", checkoutId)
          .orderBy("id")
          .forUpdate()
          .execute();
        return rows.map(orderFromRow);
      },
      async lockByShipment(shipmentId) {
        const row = await trx
          .selectFrom("orders")
          .selectAll()
          .where(sql<string>`shipment ->> 'shipment_id'`, "=", shipmentId)
          .forUpdate()
          .executeTakeFirst();
        return row ? orderFromRow(row) : null;
      },
      async save(o) {
        const { id: _id, ...rest } = orderRow(o, now());
        await trx.updateTable("orders").set(rest).where("id", "=", o.id).execute();
      },
    },
    returns: {
      async insert(r) {
        await trx.insertInto("returns").values(returnRow(r, now())).execute();
      },
      async lock(id) {
        const row = await trx
          .selectFrom("returns")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        return row ? returnFromRow(row) : null;
      },
      async save(r) {
        const { id: _id, ...rest } = returnRow(r, now());
        await trx.updateTable("returns").set(rest).where("id", "=", r.id).execute();
      },
    },
    payouts: {
      async insert(p) {
        await trx
          .insertInto("payouts")
          .values({
            order_id: p.orderId,
            shop_id: p.shopId,
            gross: p.gross,
            commission: p.commission,
            net: p.net,
            created_at: p.createdAt,
          })
          .onConflict((oc) => oc.column("order_id").doNothing())
          .execute();
      },
    },
    rates: {
      async of(categoryIds) {
        if (categoryIds.length === 0) return new Map();
        const rows = await trx
          .selectFrom("commission_rates")
          .selectAll()
          .where("category_id", "in", categoryIds)
          .execute();
        return new Map(rows.map((r) => [r.category_id, r.rate_bps]));
      },
    },
    events: events(trx),
    timers: sagaTimers(trx, now),
  };
}

export function pgUnitOfWork(
  db: Kysely<OrderDatabase>,
  events: (trx: Trx) => OrderEvents,
  now: () => Date,
): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(orderTx(trx, events, now))) };
}

const HIDDEN = "CREATED";

/** Reads outside transactions. */
export function pgOrderReads(db: Kysely<OrderDatabase>): OrderReads {
  const page = async (
    column: "buyer_id" | "shop_id",
    owner: string,
    status: string,
    cursor: string,
    limit: number,
  ) => {
    let q = db.selectFrom("orders").selectAll().where(column, "=", owner).where("status", "!=", HIDDEN);
    if (status !== "") q = q.where("status", "=", status);
    if (cursor !== "") q = q.where("id", "<", cursor);
    const rows = await q
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(orderFromRow);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? "") : "" };
  };
  return {
    async checkoutByKey(buyerId, key) {
      const row = await db
        .selectFrom("checkouts")
        .selectAll()
        .where("buyer_id", "=", buyerId)
        .where("idempotency_key", "=", key)
        .executeTakeFirst();
      return row ? checkoutFromRow(row) : null;
    },
    async checkout(id) {
      const row = await db.selectFrom("checkouts").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? checkoutFromRow(row) : null;
    },
    async order(id) {
      const row = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? orderFromRow(row) : null;
    },
    async ordersOfCheckout(checkoutId) {
      const rows = await db
        .selectFrom("orders")
        .selectAll()
        .where("checkout_id", "=", checkoutId)
        .orderBy("id")
        .execute();
      return rows.map(orderFromRow);
    },
    ordersOfBuyer: (buyerId, status, cursor, limit) => page("buyer_id", buyerId, status, cursor, limit),
    ordersOfShop: (shopId, status, cursor, limit) => page("shop_id", shopId, status, cursor, limit),
    async returnsOf(orderIds) {
      const rows = await db
        .selectFrom("returns")
        .selectAll()
        .where("order_id", "in", orderIds)
        .orderBy("id")
        .execute();
      return rows.map(returnFromRow);
    },
    async returnById(id) {
      const row = await db.selectFrom("returns").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? returnFromRow(row) : null;
    },
    async balance(shopId, pendingStatuses) {
      const pending = await db
        .selectFrom("orders")
        .select(sql<string>`COALESCE(SUM(total - refunded - commission), 0)`.as("sum"))
        .where("shop_id", "=", shopId)
        .where("status", "in", [...pendingStatuses])
        .executeTakeFirstOrThrow();
      const available = await db
        .selectFrom("payouts")
        .select(sql<string>`COALESCE(SUM(net), 0)`.as("sum"))
        .where("shop_id", "=", shopId)
        .executeTakeFirstOrThrow();
      const payouts = await db
        .selectFrom("payouts")
        .selectAll()
        .where("shop_id", "=", shopId)
        .orderBy("created_at", "desc")
        .limit(100)
        .execute();
      return {
        pending: Number(pending.sum),
        available: Number(available.sum),
        payouts: payouts.map((p) => ({
          orderId: p.order_id,
          shopId: p.shop_id,
          gross: Number(p.gross),
          commission: Number(p.commission),
          net: Number(p.net),
          createdAt: p.created_at,
        })),
      };
    },
  };
}
