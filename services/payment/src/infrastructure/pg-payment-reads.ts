import { type Kysely, sql } from "kysely";
import type { ReconciliationReport } from "../application/model.ts";
import type { PaymentReads } from "../application/ports.ts";
import { ACCOUNTS } from "../domain/ledger.ts";
import { allocationsOf, loadPayment, paymentFromRow, refundsOf } from "./payment-rows.ts";
import type { PaymentDatabase } from "./schema.ts";

/** Reads outside transactions. */
export function pgPaymentReads(db: Kysely<PaymentDatabase>): PaymentReads {
  return {
    payment: (id) => loadPayment(db, id, false),
    async byCheckout(checkoutId) {
      const row = await db
        .selectFrom("payments")
        .selectAll()
        .where("checkout_id", "=", checkoutId)
        .executeTakeFirst();
      return row ? paymentFromRow(row, await allocationsOf(db, row.id)) : null;
    },
    refunds: (paymentId) => refundsOf(db, paymentId),
    reconciliation: (from, to) => reconcile(db, from, to),
  };
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * Per payment: what the provider's success notifications say was paid, against what the ledger
 * captured through provider clearing (captures and late captures). A payment where they differ
 * — a notification with no capture, a capture with no notification, a second payment — is a
 * mismatch for an operator to look at. Also the net of every posting (zero when every
 * transaction balanced) and each account's balance at the end of the period.
 */
async function reconcile(
  db: Kysely<PaymentDatabase>,
  from: Date | null,
  to: Date | null,
): Promise<ReconciliationReport> {
  const inPeriod = (column: string) =>
    sql`(${from}::timestamptz IS NULL OR ${sql.ref(column)} >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR ${sql.ref(column)} < ${to}::timestamptz)`;
  const clearing = ACCOUNTS.providerClearing;
  const perPayment = await sql<{ payment_id: string; notified: string; captured: string }>`
    WITH notified AS (
      SELECT payment_id, sum(amount) FILTER (WHERE event = 'success') AS amount
      FROM provider_notifications WHERE ${inPeriod("received_at")} GROUP BY payment_id
    ), captured AS (
      SELECT t.payment_id, sum(p.amount) AS amount
      FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
      WHERE t.kind IN ('capture', 'late_capture') AND p.account = ${clearing} AND ${inPeriod("t.created_at")}
      GROUP BY t.payment_id
    )
    SELECT coalesce(n.payment_id, c.payment_id) AS payment_id,
           coalesce(n.amount, 0) AS notified, coalesce(c.amount, 0) AS captured
    FROM notified n FULL JOIN captured c ON c.payment_id = n.payment_id
    ORDER BY 1`.execute(db);
  const totals = await sql<{ notifications: string; refunds: string; imbalance: string }>`
    SELECT
      (SELECT count(*) FROM provider_notifications WHERE ${inPeriod("received_at")}) AS notifications,
      (SELECT coalesce(-sum(p.amount), 0) FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
        WHERE t.kind IN ('refund', 'late_refund') AND p.account IN (${clearing}, ${ACCOUNTS.codClearing})
          AND ${inPeriod("t.created_at")}) AS refunds,
      (SELECT coalesce(sum(p.amount), 0) FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
        WHERE ${inPeriod("t.created_at")}) AS imbalance`.execute(db);
  const balances = await sql<{ account: string; balance: string }>`
    SELECT p.account, sum(p.amount) AS balance
    FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
    WHERE ${to}::timestamptz IS NULL OR t.created_at < ${to}::timestamptz
    GROUP BY p.account ORDER BY p.account`.execute(db);

  const report: ReconciliationReport = {
    from,
    to,
    notifications: num(totals.rows[0]?.notifications),
    notifiedCaptures: 0,
    ledgerCaptures: 0,
    ledgerRefunds: num(totals.rows[0]?.refunds),
    ledgerImbalance: num(totals.rows[0]?.imbalance),
    mismatches: [],
    balances: Object.fromEntries(balances.rows.map((r) => [r.account, num(r.balance)])),
  };
  for (const row of perPayment.rows) {
    const notified = num(row.notified);
    const captured = num(row.captured);
    report.notifiedCaptures += notified;
    report.ledgerCaptures += captured;
    if (notified === captured) continue;
    const problem =
      captured === 0
        ? "notified as paid but nothing captured"
        : notified === 0
          ? "captured without a provider notification"
          : "notified and captured amounts differ";
    report.mismatches.push({ paymentId: row.payment_id, notified, capturedInLedger: captured, problem });
  }
  return report;
}
