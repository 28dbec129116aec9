import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { countRows, rejectsWithCode } from "@toko/testing";
import { type Harness, paymentRequest, startHarness } from "./harness.ts";

// CreatePayment as the checkout saga calls it, and who may read a payment.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test("the same checkout returns the same payment; other terms are a conflict", async () => {
  const request = paymentRequest();
  const first = await h.order.createPayment(request);
  const again = await h.order.createPayment({ ...request, expiresAt: new Date(Date.now() + 7200_000) });
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.payment?.id, first.payment?.id);
  assert.deepEqual(again.payment?.instructions, first.payment?.instructions);
  const error = await rejectsWithCode(
    h.order.createPayment({
      ...request,
      amount: { amount: 150_001, currency: "IDR" },
      allocations: request.allocations.map((a, i) =>
        i === 0 ? { ...a, amount: { amount: 100_001, currency: "IDR" } } : a,
      ),
    }),
    "CHECKOUT_PAYMENT_CONFLICT",
  );
  assert.equal(error.kind, "conflict");
  await rejectsWithCode(h.order.createPayment({ ...request, channel: "bni" }), "CHECKOUT_PAYMENT_CONFLICT");
  assert.equal(await countRows(h.db.pool, "payments", { checkout_id: request.checkoutId }), 1);
});

test("concurrent creates of one checkout make one payment and one expiry timer", async () => {
  const request = paymentRequest();
  const results = await Promise.all(Array.from({ length: 6 }, () => h.order.createPayment(request)));
  assert.equal(new Set(results.map((r) => r.payment?.id)).size, 1);
  assert.equal(results.filter((r) => r.created).length, 1);
  assert.equal(await countRows(h.db.pool, "payments", { checkout_id: request.checkoutId }), 1);
  const id = results[0]?.payment?.id ?? "";
  assert.equal(await countRows(h.db.pool, "kit_timers", { kind: "payment.expire", key: id }), 1);
});

test("bad input is VALIDATION_FAILED naming each field, and writes nothing", async () => {
  const before = await countRows(h.db.pool, "payments");
  const error = await rejectsWithCode(
    h.order.createPayment(
      paymentRequest({
        checkoutId: "",
        amount: { amount: 150_000, currency: "USD" },
        method: "ewallet",
        channel: "bca",
        expiresAt: new Date(Date.now() - 1000),
      }),
    ),
    "VALIDATION_FAILED",
  );
  assert.deepEqual(error.violations.map((v) => v.field).sort(), [
    "amount.currency",
    "channel",
    "checkout_id",
    "expires_at",
  ]);
  const sums = await rejectsWithCode(
    h.order.createPayment(paymentRequest({ amount: { amount: 149_999, currency: "IDR" } })),
    "VALIDATION_FAILED",
  );
  assert.deepEqual(
    sums.violations.map((v) => v.field),
    ["allocations"],
  );
  await rejectsWithCode(h.order.createPayment(paymentRequest({ method: "cheque" })), "VALIDATION_FAILED");
  assert.equal(await countRows(h.db.pool, "payments"), before);
});

test("only services create payments; only the payer (or a service) reads one", async () => {
  await rejectsWithCode(h.buyer.createPayment(paymentRequest()), "FORBIDDEN");
  await rejectsWithCode(h.anonymous.createPayment(paymentRequest()), "UNAUTHENTICATED");
  await rejectsWithCode(
    h.anonymous.refundPayment({ paymentId: "pay_0", refundId: "r-1", orderId: "", reason: "x" }),
    "UNAUTHENTICATED",
  );
  await rejectsWithCode(h.anonymous.settleCod({ paymentId: "pay_0" }), "UNAUTHENTICATED");
  await rejectsWithCode(h.buyer.settleCod({ paymentId: "pay_0" }), "FORBIDDEN");
  const { payment } = await h.order.createPayment(paymentRequest());
  assert.ok(payment);
  const mine = await h.buyer.getPayment({ paymentId: payment.id });
  assert.equal(mine.payment?.checkoutId, payment.checkoutId);
  assert.equal(mine.payment?.instructions?.vaNumber, payment.instructions?.vaNumber);
  await rejectsWithCode(h.stranger.getPayment({ paymentId: payment.id }), "NOT_FOUND");
  await rejectsWithCode(h.anonymous.getPayment({ paymentId: payment.id }), "UNAUTHENTICATED");
  await rejectsWithCode(h.buyer.getPayment({ paymentId: "../etc/passwd" }), "NOT_FOUND");
  assert.equal((await h.order.getPayment({ paymentId: payment.id })).payment?.id, payment.id);
});
