import assert from "node:assert/strict";
import { test } from "node:test";
import type { PaymentState } from "./payment.ts";
import { planRefund } from "./refund.ts";

const paid: PaymentState = {
  id: "p",
  amount: 150_000,
  method: "bank_transfer_va",
  channel: "bca",
  status: "SUCCEEDED",
  expiresAt: new Date(0),
  captured: 150_000,
  refunded: 0,
  allocations: [
    { orderId: "o1", shopId: "s1", amount: 100_000, commission: 0 },
    { orderId: "o2", shopId: "s2", amount: 50_000, commission: 0 },
  ],
};

test("a partial refund within the order's allocation is planned with the new status", () => {
  const plan = planRefund(paid, [], { refundId: "r1", amount: 40_000, orderId: "o2" });
  assert.equal(plan.kind, "new");
  assert.equal(plan.kind === "new" && plan.status, "PARTIALLY_REFUNDED");
});

test("refunds never exceed the capture nor the order's share", () => {
  const after = { ...paid, refunded: 140_000 };
  const past = [
    { id: "r1", orderId: "o1", amount: 100_000 },
    { id: "r2", orderId: "o2", amount: 40_000 },
  ];
  assert.throws(() => planRefund(after, past, { refundId: "r3", amount: 10_001, orderId: "o2" }), {
    code: "REFUND_EXCEEDS_CAPTURE",
  });
  assert.throws(() => planRefund(paid, [], { refundId: "r3", amount: 50_001, orderId: "o2" }), {
    code: "REFUND_EXCEEDS_CAPTURE",
  });
  const last = planRefund(after, past, { refundId: "r3", amount: 10_000, orderId: "o2" });
  assert.equal(last.kind === "new" && last.status, "REFUNDED");
});

test("the same refund id is idempotent with the same terms and a conflict with others", () => {
  const past = [{ id: "r1", orderId: "o1", amount: 5_000 }];
  assert.equal(planRefund(paid, past, { refundId: "r1", amount: 5_000, orderId: "" }).kind, "existing");
  assert.throws(() => planRefund(paid, past, { refundId: "r1", amount: 6_000, orderId: "o1" }), {
    code: "REFUND_CONFLICT",
  });
});

test("nothing captured, a missing order or a bad amount is refused", () => {
  const pending = { ...paid, status: "PENDING" as const, captured: 0 };
  assert.throws(() => planRefund(pending, [], { refundId: "r", amount: 1, orderId: "o1" }), {
    code: "PAYMENT_NOT_CAPTURED",
  });
  assert.throws(() => planRefund(paid, [], { refundId: "r", amount: 1, orderId: "" }), {
    code: "VALIDATION_FAILED",
  });
  assert.throws(() => planRefund(paid, [], { refundId: "r", amount: 0, orderId: "o1" }), {
    code: "VALIDATION_FAILED",
  });
});
