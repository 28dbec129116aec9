import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { countRows, rejectsWithCode, testPrincipal } from "@toko/testing";
import {
  accountBalance,
  assertLedgerBalanced,
  type Harness,
  outboxTypes,
  paymentRequest,
  startHarness,
  waitForStatus,
} from "./harness.ts";

// Expiry through the kit's durable timers, a payment arriving after it, and the reconciliation.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test("an unpaid payment expires at its deadline (PaymentExpired); paying after it is refunded automatically", async () => {
  const { payment } = await h.order.createPayment(
    paymentRequest({ expiresAt: new Date(Date.now() + 1_500) }),
  );
  assert.ok(payment);
  const expired = await waitForStatus(h, payment.id, "EXPIRED");
  assert.equal(expired.statusReason, "expired");
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentExpired"]);

  // The bank took a late transfer: the sandbox notifies, Toko takes the money and returns it.
  await h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" });
  const refunded = await waitForStatus(h, payment.id, "REFUNDED");
  assert.equal(refunded.statusReason, "paid_after_expiry");
  assert.equal(refunded.captured?.amount, 150_000);
  assert.equal(refunded.refunded?.amount, 150_000);
  assert.equal(refunded.refunds[0]?.reason, "paid_after_expiry");
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentExpired", "RefundSucceeded"]);
  assert.equal(await accountBalance(h.db.pool, payment.id, "provider_clearing"), 0);
  assert.equal(await accountBalance(h.db.pool, payment.id, "refunds_payable"), 0);
  assert.equal(await accountBalance(h.db.pool, payment.id, "seller_payable:shop-a"), 0);
  await assertLedgerBalanced(h.db.pool);
});

test("a payment made in time cancels its expiry", async () => {
  const { payment } = await h.order.createPayment(
    paymentRequest({ expiresAt: new Date(Date.now() + 2_000) }),
  );
  assert.ok(payment);
  await h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" });
  await waitForStatus(h, payment.id, "SUCCEEDED");
  assert.equal(await countRows(h.db.pool, "kit_timers", { key: payment.id }), 0);
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal((await h.buyer.getPayment({ paymentId: payment.id })).payment?.status, "SUCCEEDED");
  assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
});

test("reconciliation (admins only): notifications agree with the ledger, which nets to zero", async () => {
  await rejectsWithCode(h.buyer.getReconciliation({}), "FORBIDDEN");
  await rejectsWithCode(h.anonymous.getReconciliation({}), "UNAUTHENTICATED");
  // The admin role alone is not enough: the token must also have been granted the admin scope.
  await rejectsWithCode(
    h.admin.getReconciliation({}, { principal: testPrincipal("admin-2", ["admin"], ["buyer"]) }),
    "FORBIDDEN",
  );
  await rejectsWithCode(
    h.admin.getReconciliation({ from: new Date(), to: new Date(Date.now() - 1) }),
    "VALIDATION_FAILED",
  );
  const { report } = await h.admin.getReconciliation({});
  assert.ok(report);
  assert.equal(report.notifications, 2);
  assert.equal(report.notifiedCaptures?.amount, 300_000);
  assert.equal(report.ledgerCaptures?.amount, 300_000);
  assert.equal(report.ledgerRefunds?.amount, 150_000);
  assert.equal(report.ledgerImbalance, 0);
  assert.deepEqual(report.mismatches, []);
  assert.equal(report.balances.provider_clearing, 150_000);
  // A period before anything happened is empty.
  const empty = await h.admin.getReconciliation({ to: new Date(Date.now() - 3600_000) });
  assert.equal(empty.report?.notifications, 0);
});
