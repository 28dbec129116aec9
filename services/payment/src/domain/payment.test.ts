import assert from "node:assert/strict";
import { test } from "node:test";
import { checkAllocations, decideCapture, expiresAt, type PaymentState, settlesCod } from "./payment.ts";
import { checkMethod } from "./payment-method.ts";

const pending: PaymentState = {
  id: "p",
  amount: 10_000,
  method: "ewallet",
  channel: "gopay",
  status: "PENDING",
  expiresAt: new Date("2030-01-01T00:00:00Z"),
  captured: 0,
  refunded: 0,
  allocations: [{ orderId: "o", shopId: "s", amount: 10_000, commission: 500 }],
};

test("a success captures a pending payment once; after expiry or failure it is captured and refunded", () => {
  assert.deepEqual(decideCapture(pending, 10_000), { kind: "capture" });
  assert.deepEqual(decideCapture({ ...pending, status: "SUCCEEDED", captured: 10_000 }, 10_000), {
    kind: "ignore",
  });
  assert.deepEqual(decideCapture({ ...pending, status: "EXPIRED" }, 10_000), {
    kind: "capture_and_refund",
    reason: "paid_after_expiry",
  });
  assert.deepEqual(decideCapture({ ...pending, status: "FAILED" }, 10_000), {
    kind: "capture_and_refund",
    reason: "paid_after_failure",
  });
  assert.deepEqual(decideCapture(pending, 9_999), { kind: "amount_mismatch" });
});

test("only a pending, non-COD payment past its deadline expires", () => {
  const after = new Date("2030-01-01T00:00:01Z");
  assert.equal(expiresAt(pending, after), true);
  assert.equal(expiresAt(pending, new Date("2029-12-31T23:59:59Z")), false);
  assert.equal(expiresAt({ ...pending, method: "cod", channel: "" }, after), false);
  assert.equal(expiresAt({ ...pending, status: "SUCCEEDED" }, after), false);
});

test("COD settles once, for the full amount", () => {
  const cod = { ...pending, method: "cod" as const, channel: "" as const };
  assert.equal(settlesCod(cod, 10_000), true);
  assert.equal(settlesCod({ ...cod, status: "SUCCEEDED", captured: 10_000 }, 10_000), false);
  assert.throws(() => settlesCod(cod, 9_000), { code: "VALIDATION_FAILED" });
  assert.throws(() => settlesCod(pending, 10_000), { code: "NOT_COD" });
});

test("allocations must add up to the amount, with commissions within each", () => {
  assert.deepEqual(checkAllocations(10_000, pending.allocations), []);
  const fields = (v: { field: string }[]) => v.map((x) => x.field);
  assert.deepEqual(fields(checkAllocations(10_001, pending.allocations)), ["allocations"]);
  assert.deepEqual(
    fields(checkAllocations(10_000, [{ orderId: "o", shopId: "s", amount: 10_000, commission: 10_001 }])),
    ["allocations[0].commission"],
  );
  assert.deepEqual(fields(checkAllocations(1, [])), ["allocations"]);
});

test("methods take their own channels only", () => {
  assert.deepEqual(checkMethod("bank_transfer_va", "BCA"), { method: "bank_transfer_va", channel: "bca" });
  assert.deepEqual(checkMethod("credit_card", ""), { method: "credit_card", channel: "" });
  assert.throws(() => checkMethod("ewallet", "bca"), { code: "VALIDATION_FAILED" });
  assert.throws(() => checkMethod("cash", ""), { code: "VALIDATION_FAILED" });
});
