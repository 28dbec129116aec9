import type { Instructions, Payment, ReconciliationReport } from "@toko/contracts/toko/payment/v1/payment";

const money = (m: { amount: number; currency: string } | undefined) => ({
  amount: m?.amount ?? 0,
  currency: m?.currency || "IDR",
});
const iso = (d: Date | undefined) => (d ?? new Date(0)).toISOString();
const orNull = (s: string) => (s === "" ? null : s);

/** Only the instruction fields the method uses. */
function instructionsJson(i: Instructions | undefined) {
  const out: Record<string, string> = {};
  if (!i) return out;
  const fields: [string, string][] = [
    ["bank", i.bank],
    ["va_number", i.vaNumber],
    ["biller_code", i.billerCode],
    ["deeplink_url", i.deeplinkUrl],
    ["qr_string", i.qrString],
    ["redirect_url", i.redirectUrl],
    ["note", i.note],
  ];
  for (const [name, value] of fields) if (value !== "") out[name] = value;
  return out;
}

/** A payment as its payer sees it. */
export function paymentJson(p: Payment | undefined) {
  if (!p) throw new Error("the payment service answered without a payment");
  return {
    id: p.id,
    checkout_id: p.checkoutId,
    method: p.method,
    channel: orNull(p.channel),
    status: p.status,
    status_reason: orNull(p.statusReason),
    amount: money(p.amount),
    captured: money(p.captured),
    refunded: money(p.refunded),
    instructions: instructionsJson(p.instructions),
    expires_at: iso(p.expiresAt),
    paid_at: p.paidAt ? p.paidAt.toISOString() : null,
    created_at: iso(p.createdAt),
    refunds: p.refunds.map((r) => ({
      id: r.id,
      order_id: orNull(r.orderId),
      amount: money(r.amount),
      reason: r.reason,
      status: r.status,
      created_at: iso(r.createdAt),
    })),
  };
}

export function reconciliationJson(r: ReconciliationReport | undefined) {
  if (!r) throw new Error("the payment service answered without a report");
  return {
    from: r.from ? r.from.toISOString() : null,
    to: r.to ? r.to.toISOString() : null,
    notifications: r.notifications,
    notified_captures: money(r.notifiedCaptures),
    ledger_captures: money(r.ledgerCaptures),
    ledger_refunds: money(r.ledgerRefunds),
    ledger_imbalance: r.ledgerImbalance,
    mismatches: r.mismatches.map((m) => ({
      payment_id: m.paymentId,
      notified: money(m.notified),
      captured_in_ledger: money(m.capturedInLedger),
      problem: m.problem,
    })),
    balances: r.balances,
  };
}
