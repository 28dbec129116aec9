import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { countRows, rejectsWithCode } from "@toko/testing";
import {
  accountBalance,
  assertLedgerBalanced,
  type Harness,
  outboxTypes,
  paymentRequest,
  signedNotification,
  startHarness,
} from "./harness.ts";

// RefundPayment: partial and full, idempotent per refund id, never more than was captured —
// one after another and all at once.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const idr = (amount: number) => ({ amount, currency: "IDR" });

async function paidPayment(): Promise<string> {
  const { payment } = await h.order.createPayment(paymentRequest());
  assert.ok(payment);
  await h.anonymous.receiveNotification({
    provider: "sandbox",
    ...signedNotification({ id: payment.id, amount: 150_000 }),
  });
  return payment.id;
}

test("partial refunds up to the capture; more is refused; the last makes it REFUNDED", async () => {
  const id = await paidPayment();
  const first = await h.order.refundPayment({
    paymentId: id,
    refundId: `${id}-r1`,
    amount: idr(40_000),
    orderId: "ord-a",
    reason: "one item missing",
  });
  assert.equal(first.payment?.status, "PARTIALLY_REFUNDED");
  assert.equal(first.payment?.refunded?.amount, 40_000);
  // The order's share is 100,000: 60,001 more is over it even though the payment has 110,000 left.
  await rejectsWithCode(
    h.order.refundPayment({
      paymentId: id,
      refundId: `${id}-r2`,
      amount: idr(60_001),
      orderId: "ord-a",
      reason: "",
    }),
    "REFUND_EXCEEDS_CAPTURE",
  );
  await h.order.refundPayment({
    paymentId: id,
    refundId: `${id}-r3`,
    amount: idr(60_000),
    orderId: "ord-a",
    reason: "",
  });
  await rejectsWithCode(
    h.order.refundPayment({
      paymentId: id,
      refundId: `${id}-r4`,
      amount: idr(50_001),
      orderId: "ord-b",
      reason: "",
    }),
    "REFUND_EXCEEDS_CAPTURE",
  );
  const last = await h.order.refundPayment({
    paymentId: id,
    refundId: `${id}-r5`,
    amount: idr(50_000),
    orderId: "ord-b",
    reason: "",
  });
  assert.equal(last.payment?.status, "REFUNDED");
  assert.deepEqual(
    last.payment?.refunds.map((r) => [r.id, r.amount?.amount]),
    [
      [`${id}-r1`, 40_000],
      [`${id}-r3`, 60_000],
      [`${id}-r5`, 50_000],
    ],
  );
  await rejectsWithCode(
    h.order.refundPayment({
      paymentId: id,
      refundId: `${id}-r6`,
      amount: idr(1),
      orderId: "ord-b",
      reason: "",
    }),
    "REFUND_EXCEEDS_CAPTURE",
  );
  assert.deepEqual(await outboxTypes(h.db.pool, id), [
    "PaymentSucceeded",
    "RefundSucceeded",
    "RefundSucceeded",
    "RefundSucceeded",
  ]);
  // Everything went back: clearing, the shops and the platform are all square for this payment.
  for (const account of [
    "provider_clearing",
    "seller_payable:shop-a",
    "seller_payable:shop-b",
    "platform_commission",
  ]) {
    assert.equal(await accountBalance(h.db.pool, id, account), 0, account);
  }
  await assertLedgerBalanced(h.db.pool);
  // The buyer sees the refunds on the payment.
  const seen = await h.buyer.getPayment({ paymentId: id });
  assert.equal(seen.payment?.refunds.length, 3);
});

test("a refund id is idempotent: the same terms return the first refund; other terms conflict", async () => {
  const id = await paidPayment();
  const request = {
    paymentId: id,
    refundId: `${id}-once`,
    amount: idr(10_000),
    orderId: "ord-b",
    reason: "late",
  };
  const a = await h.order.refundPayment(request);
  const b = await h.order.refundPayment(request);
  assert.deepEqual(b.refund, a.refund);
  assert.equal(b.payment?.refunded?.amount, 10_000);
  await rejectsWithCode(h.order.refundPayment({ ...request, amount: idr(9_000) }), "REFUND_CONFLICT");
  const other = await paidPayment();
  await rejectsWithCode(h.order.refundPayment({ ...request, paymentId: other }), "REFUND_CONFLICT");
  assert.deepEqual(await outboxTypes(h.db.pool, id), ["PaymentSucceeded", "RefundSucceeded"]);
});

test("concurrent partial refunds never take out more than was captured", async () => {
  const id = await paidPayment();
  // Ten refunds of 30,000 against ord-a (100,000): exactly three fit.
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      h.order.refundPayment({
        paymentId: id,
        refundId: `${id}-c${i}`,
        amount: idr(30_000),
        orderId: "ord-a",
        reason: "",
      }),
    ),
  );
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 3);
  for (const r of results) {
    if (r.status === "rejected") assert.equal((r.reason as { code?: string }).code, "REFUND_EXCEEDS_CAPTURE");
  }
  const { payment } = await h.order.getPayment({ paymentId: id });
  assert.equal(payment?.refunded?.amount, 90_000);
  assert.equal(await countRows(h.db.pool, "refunds", { payment_id: id }), 3);
  assert.equal(await accountBalance(h.db.pool, id, "provider_clearing"), 60_000);
  await assertLedgerBalanced(h.db.pool);
});

test("refunds of an unpaid or unknown payment, bad amounts and user callers are refused", async () => {
  const { payment } = await h.order.createPayment(paymentRequest());
  assert.ok(payment);
  const base = {
    paymentId: payment.id,
    refundId: `${payment.id}-x`,
    amount: idr(1_000),
    orderId: "ord-a",
    reason: "",
  };
  await rejectsWithCode(h.order.refundPayment(base), "PAYMENT_NOT_CAPTURED");
  await rejectsWithCode(h.order.refundPayment({ ...base, paymentId: "pay_unknown" }), "NOT_FOUND");
  await rejectsWithCode(h.order.refundPayment({ ...base, amount: idr(0) }), "VALIDATION_FAILED");
  await rejectsWithCode(h.order.refundPayment({ ...base, refundId: "" }), "VALIDATION_FAILED");
  await rejectsWithCode(h.order.refundPayment({ ...base, orderId: "ord-zzz" }), "VALIDATION_FAILED");
  await rejectsWithCode(h.buyer.refundPayment(base), "FORBIDDEN");
  assert.equal(await countRows(h.db.pool, "refunds", { payment_id: payment.id }), 0);
});

test("the database refuses a ledger transaction whose postings do not balance", async () => {
  const id = await paidPayment();
  const client = await h.db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(
      "INSERT INTO ledger_transactions (payment_id, kind, reference) VALUES ($1, 'capture', 'forged') RETURNING id",
      [id],
    );
    await assert.rejects(
      client.query(
        "INSERT INTO ledger_postings (transaction_id, account, amount) VALUES ($1, 'provider_clearing', 100), ($1, 'platform_commission', -99)",
        [rows[0].id],
      ),
      /does not balance/,
    );
    await client.query("ROLLBACK");
    // Postings that would balance only across two statements are refused at the first.
    await client.query("BEGIN");
    const second = await client.query(
      "INSERT INTO ledger_transactions (payment_id, kind, reference) VALUES ($1, 'capture', 'forged-2') RETURNING id",
      [id],
    );
    await assert.rejects(
      client.query(
        "INSERT INTO ledger_postings (transaction_id, account, amount) VALUES ($1, 'provider_clearing', 100)",
        [second.rows[0].id],
      ),
      /does not balance/,
    );
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
  await assert.rejects(h.db.pool.query("UPDATE ledger_postings SET amount = amount + 1"), /append-only/);
  await assertLedgerBalanced(h.db.pool);
});
