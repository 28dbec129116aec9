import { scheduleTimer } from "@toko/kit";
import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from "kysely";
import type { PaymentRecord } from "../application/model.ts";
import type { PaymentChanges, PaymentEvents, PaymentTx, UnitOfWork } from "../application/ports.ts";
import type { LedgerEntry } from "../domain/ledger.ts";
import {
  type AllocationJson,
  allocationListSql,
  loadPayment,
  loadPayments,
  paymentWithAllocations,
  refundFromRow,
  refundsOf,
} from "./payment-rows.ts";
import type { PaymentDatabase } from "./schema.ts";

type Trx = Transaction<PaymentDatabase>;
type Nullable<T> = { [K in keyof T]: T[K] | null };

/** Timer kinds this service registers handlers for. */
export const TIMER_KINDS = { expire: "payment.expire" } as const;

/** A handled notification as `provider_notifications` records it. */
type HandledNotification = Parameters<PaymentTx["notifications"]["record"]>[0][number];

/**
 * Payment updates, ledger entries and expiry cancellations of one transaction, kept until the
 * next other statement (or the end of the transaction) and then written together in one
 * statement, with the notification records when those come next: a transaction handling many
 * notifications makes one round trip for its writes instead of several per notification.
 * Nothing reads them back in between: every other statement flushes them first.
 */
class WriteBuffer {
  updates = new Map<string, PaymentChanges>();
  entries: { paymentId: string; entry: LedgerEntry }[] = [];
  cancels: string[] = [];

  constructor(private readonly trx: Trx) {}

  /** Writes what is buffered; with `record`, also records those notifications (see `recordSql`). */
  async flush(record: readonly HandledNotification[] = []): Promise<Set<string>> {
    const { updates, entries, cancels } = this;
    this.updates = new Map();
    this.entries = [];
    this.cancels = [];
    // Data-modifying CTEs all run to completion whether or not the main query reads them; each
    // writes a different table, so their order does not matter.
    const ctes: RawBuilder<unknown>[] = [];
    if (updates.size > 0) ctes.push(sql`updated AS (${updateSql(updates)})`);
    if (entries.length > 0) ctes.push(...entryCtes(entries));
    if (cancels.length > 0)
      ctes.push(
        sql`cancelled AS (DELETE FROM kit_timers WHERE kind = ${TIMER_KINDS.expire} AND key = ANY(${cancels}::text[]))`,
      );
    if (record.length === 0 && ctes.length === 0) return new Set();
    const main =
      record.length > 0 ? recordSql(record) : sql`SELECT NULL AS provider, NULL AS notification_id`;
    const query = ctes.length > 0 ? sql`WITH ${sql.join(ctes, sql`, `)} ${main}` : main;
    const { rows } = await sql<{ provider: string | null; notification_id: string | null }>`${query}`.execute(
      this.trx,
    );
    return new Set(rows.filter((r) => r.provider !== null).map((r) => `${r.provider}/${r.notification_id}`));
  }
}

/** Several payments' changes in one statement (a field left out keeps its value). */
function updateSql(updates: Map<string, PaymentChanges>): RawBuilder<unknown> {
  const list = [...updates];
  const col = <T>(f: (c: PaymentChanges) => T) => list.map(([, c]) => f(c));
  return sql`UPDATE payments p SET status = u.status,
      status_reason = CASE WHEN u.set_reason THEN u.status_reason ELSE p.status_reason END,
      captured = COALESCE(u.captured, p.captured),
      refunded = COALESCE(u.refunded, p.refunded),
      paid_at = COALESCE(u.paid_at, p.paid_at)
    FROM unnest(${list.map(([id]) => id)}::text[], ${col((c) => c.status)}::text[],
                ${col((c) => c.statusReason !== undefined)}::bool[], ${col((c) => c.statusReason ?? "")}::text[],
                ${col((c) => c.captured ?? null)}::bigint[], ${col((c) => c.refunded ?? null)}::bigint[],
                ${col((c) => c.paidAt ?? null)}::timestamptz[])
      AS u(id, status, set_reason, status_reason, captured, refunded, paid_at)
    WHERE p.id = u.id`;
}

/** Several ledger transactions and their postings, all in one statement (the database checks each statement's postings balance per transaction: migration 0002). */
function entryCtes(entries: { paymentId: string; entry: LedgerEntry }[]): RawBuilder<unknown>[] {
  const postings = entries.flatMap(({ entry }, i) => entry.postings.map((p) => ({ n: i + 1, ...p })));
  return [
    sql`entry_input AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('ledger_transactions', 'id')::regclass) AS id, e.payment_id, e.kind, e.reference, e.n
      FROM unnest(${entries.map((e) => e.paymentId)}::text[], ${entries.map((e) => e.entry.kind)}::text[],
                  ${entries.map((e) => e.entry.reference)}::text[]) WITH ORDINALITY AS e(payment_id, kind, reference, n)
    )`,
    sql`entry_transactions AS (
      INSERT INTO ledger_transactions (id, payment_id, kind, reference)
      SELECT id, payment_id, kind, reference FROM entry_input ORDER BY n
    )`,
    sql`entry_postings AS (
      INSERT INTO ledger_postings (transaction_id, account, amount)
      SELECT i.id, p.account, p.amount
      FROM entry_input i
      JOIN unnest(${postings.map((p) => p.n)}::int[], ${postings.map((p) => p.account)}::text[],
                  ${postings.map((p) => p.amount)}::bigint[]) AS p(n, account, amount) ON p.n = i.n
    )`,
  ];
}

/**
 * Records handled notifications, returning the ones written: one already recorded (by a
 * concurrent delivery, or earlier in the list) is left out.
 */
function recordSql(handled: readonly HandledNotification[]): RawBuilder<unknown> {
  const ns = handled.map((h) => h.notification);
  return sql`INSERT INTO provider_notifications (provider, notification_id, payment_id, event, amount, outcome, body)
    SELECT provider, notification_id, payment_id, event, amount, outcome, body FROM unnest(${ns.map((n) => n.provider)}::text[], ${ns.map((n) => n.id)}::text[],
                         ${ns.map((n) => n.paymentId)}::text[], ${ns.map((n) => n.event)}::text[],
                         ${ns.map((n) => n.amount)}::bigint[], ${handled.map((h) => h.outcome)}::text[],
                         ${ns.map((n) => JSON.stringify(n.body))}::jsonb[]) WITH ORDINALITY AS r(provider, notification_id, payment_id, event, amount, outcome, body, n)
    ORDER BY n
    ON CONFLICT (provider, notification_id) DO NOTHING
    RETURNING provider, notification_id`;
}

/** The write side of one transaction; `flush` writes what it still holds (before commit). */
export function paymentTx(
  trx: Trx,
  events: (trx: Trx) => PaymentEvents,
): PaymentTx & { flush(): Promise<void> } {
  const buffer = new WriteBuffer(trx);
  /** Runs `fn` after the buffered writes, so it sees them and keeps their order. */
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await buffer.flush();
      return fn(...args);
    };
  const tx: PaymentTx = {
    payments: {
      insert: after(async (p) => {
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
      }),
      lock: after((id) => loadPayment(trx, id, true)),
      lockMany: after(async (ids) => {
        const payments = await loadPayments(trx, [...new Set(ids)].sort(), true);
        return new Map(payments.map((p) => [p.id, p]));
      }),
      async update(id, c) {
        // A second change of one payment follows the first in order.
        if (buffer.updates.has(id)) await buffer.flush();
        buffer.updates.set(id, c);
      },
    },
    refunds: {
      of: after((paymentId) => refundsOf(trx, paymentId)),
      byId: after(async (id) => {
        const row = await trx.selectFrom("refunds").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? refundFromRow(row) : null;
      }),
      insert: after(async (r) => {
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
      }),
    },
    notifications: {
      admit: after(async (ns) => {
        if (ns.length === 0) return { admitted: [], locked: new Map() };
        // In input order: a signature repeated within the list is a replay from its second use.
        // The new notifications' payments are locked in the same statement (sorted before the
        // lock, as `lockMany` does), and each row of the answer carries its locked payment.
        const { rows } = await sql<
          { n: number; fresh: boolean; seen: boolean; allocation_list: AllocationJson[] | null } & Nullable<
            Selectable<PaymentDatabase["payments"]>
          >
        >`
          WITH input AS (
            SELECT * FROM unnest(${ns.map((n) => n.signature)}::text[], ${ns.map((n) => n.provider)}::text[],
                                 ${ns.map((n) => n.id)}::text[], ${ns.map((n) => n.paymentId)}::text[])
              WITH ORDINALITY AS i(signature, provider, notification_id, payment_id, n)
          ), sig AS (
            INSERT INTO webhook_signatures (signature)
            SELECT DISTINCT signature FROM input
            ON CONFLICT (signature) DO NOTHING RETURNING signature
          ), admitted AS MATERIALIZED (
            SELECT i.n::int AS n, i.payment_id,
                   (EXISTS (SELECT 1 FROM sig WHERE sig.signature = i.signature)
                     AND i.n = (SELECT min(j.n) FROM input j WHERE j.signature = i.signature)) AS fresh,
                   EXISTS (SELECT 1 FROM provider_notifications p
                           WHERE p.provider = i.provider AND p.notification_id = i.notification_id) AS seen
            FROM input i
          ), locked AS MATERIALIZED (
            SELECT payments.*, ${allocationListSql("payments.id")} AS allocation_list
            FROM payments
            WHERE payments.id IN (SELECT a.payment_id FROM admitted a WHERE a.fresh AND NOT a.seen)
            ORDER BY payments.id
            FOR UPDATE OF payments
          )
          SELECT a.n, a.fresh, a.seen, l.*
          FROM admitted a LEFT JOIN locked l ON l.id = a.payment_id AND a.fresh AND NOT a.seen
          ORDER BY a.n`.execute(trx);
        const locked = new Map<string, PaymentRecord>();
        for (const { n: _n, fresh: _f, seen: _s, ...row } of rows)
          if (row.id !== null && !locked.has(row.id))
            locked.set(row.id, paymentWithAllocations(row as Parameters<typeof paymentWithAllocations>[0]));
        return {
          admitted: rows.map((r) => (!r.fresh ? "replay" : r.seen ? "seen" : "new")),
          locked,
        };
      }),
      // The buffered writes and the records in one statement.
      record: (handled) => buffer.flush(handled),
    },
    ledger: {
      async post(paymentId, entry) {
        buffer.entries.push({ paymentId, entry });
      },
    },
    events: events(trx),
    timers: {
      expireAt: after((paymentId, at) =>
        scheduleTimer(trx, { kind: TIMER_KINDS.expire, key: paymentId, at, payload: { paymentId } }),
      ),
      async cancelExpiry(paymentId) {
        buffer.cancels.push(paymentId);
      },
    },
  };
  return {
    ...tx,
    flush: async () => {
      await buffer.flush();
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
        const tx = paymentTx(trx, () => buffered.events);
        const result = await fn(tx);
        await tx.flush();
        await buffered.flush();
        return result;
      }),
  };
}
