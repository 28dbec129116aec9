import { cancelTimer, scheduleTimer } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { PaymentEvents, PaymentTx, UnitOfWork } from "../application/ports.ts";
import { loadPayment, loadPayments, refundFromRow, refundsOf } from "./payment-rows.ts";
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
      async lockMany(ids) {
        const payments = await loadPayments(trx, [...new Set(ids)].sort(), true);
        return new Map(payments.map((p) => [p.id, p]));
      },
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
      async admit(ns) {
        if (ns.length === 0) return [];
        // In input order: a signature repeated within the list is a replay from its second use.
        const { rows } = await sql<{ n: number; fresh: boolean; seen: boolean }>`
          WITH input AS (
            SELECT * FROM unnest(${ns.map((n) => n.signature)}::text[], ${ns.map((n) => n.provider)}::text[],
                                 ${ns.map((n) => n.id)}::text[]) WITH ORDINALITY AS i(signature, provider, id, n)
          ), sig AS (
            INSERT INTO webhook_signatures (signature)
            SELECT DISTINCT signature FROM input
            ON CONFLICT (signature) DO NOTHING RETURNING signature
          )
          SELECT i.n::int AS n,
                 (EXISTS (SELECT 1 FROM sig WHERE sig.signature = i.signature)
                   AND i.n = (SELECT min(j.n) FROM input j WHERE j.signature = i.signature)) AS fresh,
                 EXISTS (SELECT 1 FROM provider_notifications p
                         WHERE p.provider = i.provider AND p.notification_id = i.id) AS seen
          FROM input i ORDER BY i.n`.execute(trx);
        return rows.map((r) => (!r.fresh ? "replay" : r.seen ? "seen" : "new"));
      },
      async record(handled) {
        if (handled.length === 0) return new Set();
        const rows = await trx
          .insertInto("provider_notifications")
          .values(
            handled.map(({ notification: n, outcome }) => ({
              provider: n.provider,
              notification_id: n.id,
              payment_id: n.paymentId,
              event: n.event,
              amount: n.amount,
              outcome,
              body: JSON.stringify(n.body),
            })),
          )
          .onConflict((oc) => oc.columns(["provider", "notification_id"]).doNothing())
          .returning(["provider", "notification_id"])
          .execute();
        return new Set(rows.map((r) => `${r.provider}/${r.notification_id}`));
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

/** Events of one transaction, written to its outbox by `flush` before commit. */
export type TransactionEvents = (trx: Trx) => { events: PaymentEvents; flush(): Promise<void> };

/** A unit of work over the payment database; the transaction's events are written last, together. */
export function pgUnitOfWork(db: Kysely<PaymentDatabase>, events: TransactionEvents): UnitOfWork {
  return {
    run: (fn) =>
      db.transaction().execute(async (trx) => {
        const buffered = events(trx);
        const result = await fn(paymentTx(trx, () => buffered.events));
        await buffered.flush();
        return result;
      }),
  };
}
