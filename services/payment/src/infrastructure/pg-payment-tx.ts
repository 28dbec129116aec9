import { cancelTimer, scheduleTimer } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { PaymentEvents, PaymentTx, UnitOfWork } from "../application/ports.ts";
import { loadPayment, refundFromRow, refundsOf } from "./payment-rows.ts";
import type { PaymentDatabase } from "./schema.ts";

type Trx = Transaction<PaymentDatabase>;

/** Timer kinds this service registers handlers for. */
export const TIMER_KINDS = { expire: "payment.expire" } as const;

/** The write side of one transaction. */
export function paymentTx(trx: Trx, events: (trx: Trx) => PaymentEvents): PaymentTx {
  return {
    payments: {
      async insert(p) {
        const inserted = await trx
          .insertInto("payments")
          .values({
            id: p.id,
            checkout_id: p.checkoutId,
            payer_id: p.payerId,
            amount: p.amount,
            method: p.method,
            channel: p.channel,
            status: p.status,
            status_reason: p.statusReason,
            provider: p.provider,
            provider_reference: p.providerReference,
            instructions: JSON.stringify(p.instructions),
            expires_at: p.expiresAt,
            created_at: p.createdAt,
          })
          .onConflict((oc) => oc.column("checkout_id").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (!inserted) return false;
        await trx
          .insertInto("payment_allocations")
          .values(
            p.allocations.map((a, position) => ({
              payment_id: p.id,
              order_id: a.orderId,
              shop_id: a.shopId,
              amount: a.amount,
              commission: a.commission,
              position,
            })),
          )
          .execute();
        return true;
      },
      lock: (id) => loadPayment(trx, id, true),
      async update(id, c) {
        await trx
          .updateTable("payments")
          .set({
            status: c.status,
            ...(c.statusReason !== undefined ? { status_reason: c.statusReason } : {}),
            ...(c.captured !== undefined ? { captured: c.captured } : {}),
            ...(c.refunded !== undefined ? { refunded: c.refunded } : {}),
            ...(c.paidAt !== undefined ? { paid_at: c.paidAt } : {}),
          })
          .where("id", "=", id)
          .execute();
      },
    },
    refunds: {
      of: (paymentId) => refundsOf(trx, paymentId),
      async byId(id) {
        const row = await trx.selectFrom("refunds").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? refundFromRow(row) : null;
      },
      async insert(r) {
        await trx
          .insertInto("refunds")
          .values({
            id: r.id,
            payment_id: r.paymentId,
            order_id: r.orderId,
            amount: r.amount,
            reason: r.reason,
            status: r.status,
            automatic: r.automatic,
            provider_reference: r.providerReference,
            created_at: r.createdAt,
          })
          .execute();
      },
    },
    notifications: {
      async admit(n) {
        const { rows } = await sql<{ fresh: number; seen: boolean }>`
          WITH sig AS (
            INSERT INTO webhook_signatures (signature) VALUES (${n.signature})
            ON CONFLICT (signature) DO NOTHING RETURNING 1
          )
          SELECT (SELECT count(*) FROM sig)::int AS fresh,
                 EXISTS (SELECT 1 FROM provider_notifications
                         WHERE provider = ${n.provider} AND notification_id = ${n.id}) AS seen`.execute(trx);
        const row = rows[0];
        if (!row || row.fresh === 0) return "replay";
        return row.seen ? "seen" : "new";
      },
      async record(n, outcome) {
        const row = await trx
          .insertInto("provider_notifications")
          .values({
            provider: n.provider,
            notification_id: n.id,
            payment_id: n.paymentId,
            event: n.event,
            amount: n.amount,
            outcome,
            body: JSON.stringify(n.body),
          })
          .onConflict((oc) => oc.columns(["provider", "notification_id"]).doNothing())
          .returning("notification_id")
          .executeTakeFirst();
        return row !== undefined;
      },
    },
    ledger: {
      async post(paymentId, entry) {
        // One statement: the transaction row and its postings (checked for balance at commit).
        await sql`WITH t AS (
            INSERT INTO ledger_transactions (payment_id, kind, reference)
            VALUES (${paymentId}, ${entry.kind}, ${entry.reference}) RETURNING id
          )
          INSERT INTO ledger_postings (transaction_id, account, amount)
          SELECT t.id, p.account, p.amount
          FROM t, unnest(${entry.postings.map((p) => p.account)}::text[], ${entry.postings.map((p) => p.amount)}::bigint[])
            AS p(account, amount)`.execute(trx);
      },
    },
    events: events(trx),
    timers: {
      expireAt: (paymentId, at) =>
        scheduleTimer(trx, { kind: TIMER_KINDS.expire, key: paymentId, at, payload: { paymentId } }),
      async cancelExpiry(paymentId) {
        await cancelTimer(trx, TIMER_KINDS.expire, paymentId);
      },
    },
  };
}

/** A unit of work over the payment database. */
export function pgUnitOfWork(db: Kysely<PaymentDatabase>, events: (trx: Trx) => PaymentEvents): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(paymentTx(trx, events))) };
}
