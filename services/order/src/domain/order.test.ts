import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError, type FieldViolation } from "@toko/kit/errors";
import {
  canMove,
  checkPaymentMethod,
  checkReturnLines,
  lineCommission,
  type OrderLineItem,
  payout,
  returnValue,
  splitFee,
} from "./order.ts";

const line = (lineId: string, quantity: number, unitPrice: number): OrderLineItem => ({
  lineId,
  productId: "p",
  variantId: "v",
  sku: `SKU-${lineId}`,
  title: "t",
  quantity,
  unitPrice,
  lineTotal: quantity * unitPrice,
  categoryId: "c",
  commission: 0,
  returned: 0,
});

describe("order rules", () => {
  it("moves only forward along the lifecycle", () => {
    assert.ok(canMove("AWAITING_PAYMENT", "PAID"));
    assert.ok(canMove("PROCESSING", "CANCELLED"));
    assert.ok(!canMove("SHIPPED", "CANCELLED"));
    assert.ok(!canMove("COMPLETED", "RETURN_REQUESTED"));
    assert.ok(!canMove("CANCELLED", "PAID"));
  });

  it("splits the service fee in proportion, the remainder to the first order", () => {
    assert.deepEqual(splitFee(1000, [100, 200]), [334, 666]);
    assert.deepEqual(splitFee(1000, [50_000]), [1000]);
    assert.equal(
      splitFee(999, [1, 1, 1]).reduce((a, b) => a + b),
      999,
    );
  });

  it("floors the commission to the rupiah", () => {
    assert.equal(lineCommission(99_999, 500), 4999);
    assert.equal(lineCommission(100_000, 0), 0);
  });

  it("checks payment methods and channels with the public field names", () => {
    const out: FieldViolation[] = [];
    assert.deepEqual(checkPaymentMethod("bank_transfer_va", "BCA", out), {
      method: "bank_transfer_va",
      channel: "bca",
    });
    assert.equal(checkPaymentMethod("ewallet", "", out), null);
    assert.equal(checkPaymentMethod("cash", "", out), null);
    assert.deepEqual(
      out.map((v) => v.field),
      ["payment_channel", "payment_method"],
    );
  });

  it("accepts returns of bought quantities only", () => {
    const lines = [line("1", 2, 10_000), { ...line("2", 1, 5_000), returned: 1 }];
    assert.deepEqual(checkReturnLines(lines, [{ lineId: "1", quantity: 2 }]), [
      { lineId: "1", sku: "SKU-1", quantity: 2 },
    ]);
    for (const bad of [
      [],
      [{ lineId: "1", quantity: 3 }],
      [{ lineId: "2", quantity: 1 }],
      [{ lineId: "x", quantity: 1 }],
    ]) {
      assert.throws(() => checkReturnLines(lines, bad), DomainError);
    }
    assert.equal(returnValue(lines, [{ lineId: "1", sku: "SKU-1", quantity: 1 }], 50_000), 10_000);
    assert.equal(returnValue(lines, [{ lineId: "1", sku: "SKU-1", quantity: 2 }], 15_000), 15_000);
  });

  it("pays the shop the total less refunds and commission", () => {
    assert.deepEqual(payout(100_000, 0, 5_000), { gross: 100_000, commission: 5_000, net: 95_000 });
    assert.deepEqual(payout(100_000, 100_000, 5_000), { gross: 0, commission: 0, net: 0 });
  });
});
