import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createDb, createLogger } from "@toko/kit";
import { countRows, rejectsWithCode, waitFor } from "@toko/testing";
import { sandboxDeliveryTimer } from "../src/infrastructure/sandbox/delivery-timer.ts";
import type { PaymentDatabase } from "../src/infrastructure/schema.ts";
import {
  accountBalance,
  assertLedgerBalanced,
  type Harness,
  outboxTypes,
  paymentRequest,
  signedNotification,
  startHarness,
  waitForStatus,
} from "./harness.ts";

// ReceiveNotification as the gateway calls it: raw body and headers. Providers deliver at least
// once, attackers replay and forge; money moves once.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

async function newPayment() {
  const { payment } = await h.order.createPayment(paymentRequest());
  assert.ok(payment);
  return { id: payment.id, amount: 150_000 };
}

test("one notification delivered 5 times (twice concurrently) has one effect", async () => {
  const payment = await newPayment();
  const answers = [];
  // Each delivery is signed afresh (a provider's retry), so none is a replay.
  for (let i = 0; i < 3; i++) {
    answers.push(
      await h.anonymous.receiveNotification({
        provider: "sandbox",
        ...signedNotification(payment, { at: new Date(Date.now() - i * 1000) }),
      }),
    );
  }
  answers.push(
    ...(await Promise.all(
      [3, 4].map((i) =>
        h.anonymous.receiveNotification({
          provider: "sandbox",
          ...signedNotification(payment, { at: new Date(Date.now() - i * 1000) }),
        }),
      ),
    )),
  );
  assert.deepEqual(
    answers.map((a) => a.duplicate),
    [false, true, true, true, true],
  );
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
  assert.equal(await accountBalance(h.db.pool, payment.id, "provider_clearing"), 150_000);
  assert.equal(await countRows(h.db.pool, "provider_notifications", { payment_id: payment.id }), 1);
  await assertLedgerBalanced(h.db.pool);
});

test("forged, stale and replayed notifications are UNAUTHENTICATED and change nothing", async () => {
  const payment = await newPayment();
  const forged = signedNotification(payment, { secret: "someone-elses-secret-0123456789" });
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...forged }),
    "WEBHOOK_REJECTED",
  );
  const stale = signedNotification(payment, { at: new Date(Date.now() - 301_000) });
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...stale }),
    "WEBHOOK_REJECTED",
  );
  const future = signedNotification(payment, { at: new Date(Date.now() + 301_000) });
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...future }),
    "WEBHOOK_REJECTED",
  );
  // A genuine body with another body's signature: tampered.
  const genuine = signedNotification(payment);
  const tampered = {
    rawBody: Buffer.from(genuine.rawBody.toString().replace("150000", "1")),
    headers: genuine.headers,
  };
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...tampered }),
    "WEBHOOK_REJECTED",
  );
  const unsigned = { rawBody: genuine.rawBody, headers: {} };
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...unsigned }),
    "WEBHOOK_REJECTED",
  );
  await rejectsWithCode(h.anonymous.receiveNotification({ provider: "midtrans", ...genuine }), "NOT_FOUND");
  assert.equal((await h.buyer.getPayment({ paymentId: payment.id })).payment?.status, "PENDING");
  assert.equal(await countRows(h.db.pool, "provider_notifications", { payment_id: payment.id }), 0);
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), []);

  // The genuine one is accepted once; the same signed request again is a replay.
  assert.equal((await h.anonymous.receiveNotification({ provider: "sandbox", ...genuine })).duplicate, false);
  await rejectsWithCode(
    h.anonymous.receiveNotification({ provider: "sandbox", ...genuine }),
    "WEBHOOK_REJECTED",
  );
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
  await assertLedgerBalanced(h.db.pool);
});

test("a paid amount other than the payment's books nothing and shows in reconciliation", async () => {
  const payment = await newPayment();
  const short = signedNotification({ id: payment.id, amount: 100_000 });
  assert.equal((await h.anonymous.receiveNotification({ provider: "sandbox", ...short })).duplicate, false);
  assert.equal((await h.buyer.getPayment({ paymentId: payment.id })).payment?.status, "PENDING");
  const { rows } = await h.db.pool.query("SELECT outcome FROM provider_notifications WHERE payment_id = $1", [
    payment.id,
  ]);
  assert.deepEqual(rows, [{ outcome: "amount_mismatch" }]);
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), []);
  const { report } = await h.admin.getReconciliation({});
  const mismatch = report?.mismatches.find((m) => m.paymentId === payment.id);
  assert.equal(mismatch?.notified?.amount, 100_000);
  assert.equal(mismatch?.capturedInLedger?.amount, 0);
  assert.equal(mismatch?.problem, "notified as paid but nothing captured");
});

test("the sandbox retries a delivery Toko failed to take, with backoff, until it lands once", async () => {
  const payment = await newPayment();
  const before = h.relay.state.received;
  h.relay.state.failNext = 3;
  await h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" });
  await waitForStatus(h, payment.id, "SUCCEEDED");
  assert.ok(h.relay.state.received - before >= 4, "three refused attempts, then the accepted one");
  await waitFor(
    async () =>
      (await countRows(h.db.pool, "sandbox_deliveries", { payment_id: payment.id, status: "delivered" })) ===
      1,
    "delivery recorded",
  );
  const { rows } = await h.db.pool.query("SELECT attempts FROM sandbox_deliveries WHERE payment_id = $1", [
    payment.id,
  ]);
  assert.equal(rows[0].attempts, 4);
  // Each retry was a durable timer of its own; none is left once the delivery landed.
  const timers = await h.db.pool.query(
    `SELECT 1 FROM kit_timers t JOIN sandbox_deliveries d ON t.key = d.id::text
      WHERE t.kind = 'sandbox.deliver' AND d.payment_id = $1`,
    [payment.id],
  );
  assert.equal(timers.rowCount, 0);
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
  // The payer cannot make the sandbox pay twice.
  await rejectsWithCode(
    h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" }),
    "PAYMENT_NOT_PENDING",
  );
});

test("a settled delivery is neither posted again nor changed by a late outcome", async () => {
  const payment = await newPayment();
  await h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" });
  await waitForStatus(h, payment.id, "SUCCEEDED");
  const row = async () =>
    (
      await h.db.pool.query(
        "SELECT id::text, status, attempts, last_error FROM sandbox_deliveries WHERE payment_id = $1",
        [payment.id],
      )
    ).rows[0];
  await waitFor(async () => (await row())?.status === "delivered", "delivery recorded");
  const settled = await row();
  const db = createDb<PaymentDatabase>(h.db.pool);
  const delivery = sandboxDeliveryTimer({
    db,
    logger: createLogger({ service: "payment-test", level: "silent" }),
    url: h.relay.url,
    secret: "unused",
    timeoutMs: 1_000,
    retryMinMs: 50,
    retryMaxMs: 50,
    maxAttempts: 3,
  });
  // A runner that fires the timer again (its lease lapsed) finds nothing left to post...
  const due = { kind: "sandbox.deliver", key: settled.id, dueAt: new Date(), payload: null, attempt: 2 };
  const received = h.relay.state.received;
  assert.deepEqual(await delivery.remote(due), { kind: "skipped" });
  assert.equal(h.relay.state.received, received);
  // ...and a failure recorded late (by a runner whose call outlived its lease) changes nothing.
  await db.transaction().execute(async (trx) => {
    await delivery.record?.(due, { kind: "failed", failure: "late" }, trx);
  });
  assert.deepEqual(await row(), settled);
  const timers = await h.db.pool.query(
    "SELECT 1 FROM kit_timers WHERE kind = 'sandbox.deliver' AND key = $1",
    [settled.id],
  );
  assert.equal(timers.rowCount, 0);
});

test("a declined payment fails once; a success after it is taken and refunded automatically", async () => {
  const payment = await newPayment();
  await h.buyer.simulatePayment({ paymentId: payment.id, outcome: "failure" });
  await waitForStatus(h, payment.id, "FAILED");
  const late = signedNotification(payment, { id: "ntf_late_after_failure" });
  await h.anonymous.receiveNotification({ provider: "sandbox", ...late });
  const refunded = await waitForStatus(h, payment.id, "REFUNDED");
  assert.equal(refunded.statusReason, "paid_after_failure");
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentFailed", "RefundSucceeded"]);
  assert.equal(await accountBalance(h.db.pool, payment.id, "provider_clearing"), 0);
  await assertLedgerBalanced(h.db.pool);
});

test("simulate answers the payer only; others and bad outcomes are refused", async () => {
  const payment = await newPayment();
  await rejectsWithCode(
    h.stranger.simulatePayment({ paymentId: payment.id, outcome: "success" }),
    "NOT_FOUND",
  );
  await rejectsWithCode(
    h.buyer.simulatePayment({ paymentId: payment.id, outcome: "maybe" }),
    "VALIDATION_FAILED",
  );
  await rejectsWithCode(
    h.anonymous.simulatePayment({ paymentId: payment.id, outcome: "success" }),
    "UNAUTHENTICATED",
  );
  await rejectsWithCode(h.buyer.simulatePayment({ paymentId: "pay_nope", outcome: "success" }), "NOT_FOUND");
  assert.equal(await countRows(h.db.pool, "sandbox_deliveries", { payment_id: payment.id }), 0);
});

test("a burst of notifications (shared transactions) captures each payment once, with replays and duplicates mixed in", async () => {
  const payments = await Promise.all(Array.from({ length: 30 }, () => newPayment()));
  const genuine = payments.map((p) => signedNotification(p));
  const calls = [
    ...genuine.map((n) => h.anonymous.receiveNotification({ provider: "sandbox", ...n })),
    // The same signed request again (replay) and a provider retry (fresh signature) for a few.
    ...genuine.slice(0, 5).map((n) => h.anonymous.receiveNotification({ provider: "sandbox", ...n })),
    ...payments.slice(0, 5).map((p) =>
      h.anonymous.receiveNotification({
        provider: "sandbox",
        ...signedNotification(p, { at: new Date(Date.now() - 5_000) }),
      }),
    ),
  ];
  const settled = await Promise.allSettled(calls);
  const rejected = settled.filter((s) => s.status === "rejected");
  assert.equal(rejected.length, 5, "the five replays");
  for (const r of rejected) assert.equal((r.reason as { code?: string }).code, "WEBHOOK_REJECTED");
  const fresh = settled.filter((s) => s.status === "fulfilled" && !s.value.duplicate);
  assert.equal(fresh.length, 30, "one handling per payment; the retries are duplicates");
  for (const p of payments) {
    assert.deepEqual(await outboxTypes(h.db.pool, p.id), ["PaymentSucceeded"]);
    assert.equal(await accountBalance(h.db.pool, p.id, "provider_clearing"), 150_000);
  }
  await assertLedgerBalanced(h.db.pool);
});
