import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plan } from "./plan.ts";

describe("plan", () => {
  it("keys order messages by the order, so a re-published fact is the same message", () => {
    const paid = {
      type: "OrderPaid",
      orderId: "o1",
      buyerId: "b1",
      shopId: "s1",
      total: 1000,
      items: 2,
    } as const;
    const first = plan(paid);
    assert.deepEqual(first, plan({ ...paid }));
    assert.deepEqual(
      first.map((m) => [m.key, m.kind, m.category, m.recipient]),
      [
        ["order_paid:o1", "order_paid", "orders", { userId: "b1" }],
        ["new_order:o1", "new_order", "seller", { shopId: "s1" }],
      ],
    );
  });

  it("keys secret-bearing messages by request (each carries a new token) and needs the sealed link", () => {
    const link = {
      prefix: "https://t/verify?token=",
      context: "verify_email:u1",
      sealed: { keyId: "k", ephemeralPublicKey: "", nonce: "", ciphertext: "" },
    };
    const base = {
      type: "EmailVerificationRequested",
      userId: "u1",
      email: "a@b.c",
      name: "A",
      expiresAt: undefined,
    } as const;
    const [m] = plan({ ...base, eventId: "e1", link });
    assert.equal(m?.key, "verify_email:e1");
    assert.deepEqual(m?.channels, ["email"]);
    assert.equal(m?.emailTo, "a@b.c");
    assert.notEqual(plan({ ...base, eventId: "e2", link })[0]?.key, m?.key);
    assert.deepEqual(plan({ ...base, eventId: "e3", link: undefined }), []);
  });

  it("tells buyers about outbound shipments only, and keys refunds per return", () => {
    const s = {
      type: "ShipmentStatusChanged",
      shipmentId: "sh",
      orderId: "o",
      buyerId: "b",
      awb: "A",
    } as const;
    assert.equal(plan({ ...s, status: "out_for_delivery", outbound: true })[0]?.kind, "out_for_delivery");
    assert.deepEqual(plan({ ...s, status: "out_for_delivery", outbound: false }), []);
    assert.deepEqual(plan({ ...s, status: "other", outbound: true }), []);
    const r = {
      type: "OrderRefunded",
      eventId: "e",
      orderId: "o",
      buyerId: "b",
      amount: 5,
      reason: "RETURN",
    } as const;
    assert.notEqual(plan({ ...r, returnId: "r1" })[0]?.key, plan({ ...r, returnId: "r2" })[0]?.key);
  });

  it("sends payment failures and refunds no order announces to the payer, keyed by payment and refund", () => {
    const failed = {
      type: "PaymentFailed",
      paymentId: "pay_1",
      checkoutId: "c1",
      reason: "declined",
    } as const;
    const [f] = plan(failed);
    assert.deepEqual(
      [f?.key, f?.kind, f?.category, f?.recipient, f?.channels],
      ["payment_failed:pay_1", "payment_failed", "orders", { paymentId: "pay_1" }, ["email", "in_app"]],
    );
    const refund = {
      type: "RefundSucceeded",
      refundId: "auto_pay_1",
      paymentId: "pay_1",
      checkoutId: "c1",
      orderId: "",
      amount: 150_000,
      reason: "paid_after_expiry",
      automatic: true,
    } as const;
    const [r] = plan(refund);
    assert.deepEqual(
      [r?.key, r?.kind, r?.recipient],
      ["refund_succeeded:auto_pay_1", "refund_sent", { paymentId: "pay_1" }],
    );
    assert.equal(r?.data.amount, 150_000);
    // An order's refund: OrderRefunded already tells the buyer.
    assert.deepEqual(plan({ ...refund, refundId: "ref_o1", orderId: "o1", automatic: false }), []);
  });
});
