import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { waitForValue } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

// A paid order cancelled without the seller's hand — the buyer cancels, or the seller lets the
// acceptance window pass — puts its committed units back in stock through inventory.Restock
// under the order service's own principal; so does the seller's rejection. Real processes.
let h: Harness;
const ACCEPT_WINDOW_MS = 8_000;

before(async () => {
  h = await startHarness({}, { ORDER_ACCEPT_WINDOW_MS: String(ACCEPT_WINDOW_MS) });
});
after(async () => {
  await h?.close();
});

const va = {
  paymentMethod: "bank_transfer_va",
  paymentChannel: "bca",
  voucherCodes: [],
  overrideVouchers: false,
};

/** A paid order of `quantity` units from a shop holding `units`; the stock is committed. */
async function paidOrder(units: number, quantity: number) {
  const shop = await h.newShop(units, [20_000]);
  const sku = shop.skus[0] as string;
  const buyer = await h.newBuyer();
  const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity }]);
  const res = await h.orders(buyer.id).checkout({
    idempotencyKey: "k-restock",
    addressId: buyer.addressId,
    shipping,
    ...va,
  });
  const orderId = res.orders[0]?.id as string;
  await h.payments.simulatePayment(
    { paymentId: res.payment?.paymentId ?? "", outcome: "success" },
    h.buyerOf(buyer.id),
  );
  const paidAt = Date.now();
  await h.until(buyer.id, orderId, "PAID");
  assert.deepEqual(await h.level(shop.owner, sku), {
    onHand: units - quantity,
    reserved: 0,
    available: units - quantity,
  });
  return { shop, sku, buyer, orderId, paymentId: res.payment?.paymentId ?? "", paidAt };
}

/** Waits for the SKU's on-hand stock to reach `onHand`, then returns its `return` ledger rows. */
async function restocked(owner: string, sku: string, onHand: number) {
  await waitForValue(
    async () => ((await h.level(owner, sku)).onHand === onHand ? true : undefined),
    `${sku} back to ${onHand} on hand`,
    60_000,
  );
  const { entries } = await h.stock.listLedger({ sku, limit: 50 }, h.seller(owner));
  return entries.filter((e) => e.reason === "return");
}

describe("restock of a paid order cancelled", () => {
  test("the buyer cancels a paid order: refunded, and its units are back in stock once", async () => {
    const o = await paidOrder(5, 2);
    const { order } = await h
      .orders(o.buyer.id)
      .cancelOrder({ orderId: o.orderId, reason: "changed my mind" });
    assert.equal(order?.status, "CANCELLED");
    assert.equal(order?.cancelReason, "BUYER_CANCELLED");
    const returns = await restocked(o.shop.owner, o.sku, 5);
    assert.deepEqual(
      returns.map((e) => [Number(e.onHandDelta), e.actor]),
      [[2, "service:order"]],
    );
    assert.match(returns[0]?.note ?? "", /BUYER_CANCELLED/);
    assert.deepEqual(await h.level(o.shop.owner, o.sku), { onHand: 5, reserved: 0, available: 5 });
    // Cancelling again changes nothing: still one restock.
    await h.orders(o.buyer.id).cancelOrder({ orderId: o.orderId, reason: "changed my mind" });
    await waitForValue(
      async () => {
        const { payment } = await h.payments.getPayment({ paymentId: o.paymentId }, h.buyerOf(o.buyer.id));
        return Number(payment?.refunded?.amount ?? 0) > 0 ? payment : undefined;
      },
      "the refund",
      60_000,
    );
    assert.equal((await restocked(o.shop.owner, o.sku, 5)).length, 1);
  });

  test("the seller rejects a paid order: its units are back in stock", async () => {
    const o = await paidOrder(4, 3);
    const { order } = await h
      .orders(o.shop.owner, ["buyer", "seller"])
      .rejectOrder({ orderId: o.orderId, reason: "out of stock" });
    assert.equal(order?.status, "CANCELLED");
    assert.equal(order?.cancelReason, "SELLER_REJECTED");
    const returns = await restocked(o.shop.owner, o.sku, 4);
    assert.deepEqual(
      returns.map((e) => Number(e.onHandDelta)),
      [3],
    );
  });

  test("the acceptance window passes: cancelled, refunded and its units back in stock", async () => {
    const o = await paidOrder(3, 1);
    const cancelled = await h.until(o.buyer.id, o.orderId, "CANCELLED");
    assert.equal(cancelled.cancelReason, "ACCEPTANCE_WINDOW_PASSED");
    assert.ok(Date.now() - o.paidAt >= ACCEPT_WINDOW_MS - 1_000, "not before the window");
    const returns = await restocked(o.shop.owner, o.sku, 3);
    assert.deepEqual(
      returns.map((e) => [Number(e.onHandDelta), e.actor]),
      [[1, "service:order"]],
    );
    assert.match(returns[0]?.note ?? "", /ACCEPTANCE_WINDOW_PASSED/);
  });
});
