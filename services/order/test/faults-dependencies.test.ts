import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { waitForValue } from "@toko/testing";
import { type CrashHarness, type Harness, startCrashHarness, va } from "./crash-harness.ts";

// Crash recovery, continued (one file would outlast the runner's per-file limit): the order
// service dies between committing the stock and recording it; payment or inventory dies
// (SIGKILL) while a checkout runs. Once back, every checkout ends paid or waiting for payment,
// with one payment, the stock held or taken once, and no payment without a reservation.
let crash: CrashHarness;
let h: Harness;

before(async () => {
  crash = await startCrashHarness();
  h = crash.h;
});
after(async () => {
  await h?.close();
});

describe("a service the saga calls dies", () => {
  test("the order service dies after committing the stock: a restart marks the order paid, stock taken once", async () => {
    const { shop, buyer, shipping, sku } = await crash.scenario(4, 1);
    const dying = await h.orderProcess({ ORDER_CRASH_AT: "committed" });
    const c = crash.client(dying);
    const res = await c.checkout(
      { idempotencyKey: "crash-commit", addressId: buyer.addressId, shipping, ...va },
      h.buyerOf(buyer.id),
    );
    c.close();
    await h.payments.simulatePayment(
      { paymentId: res.payment?.paymentId ?? "", outcome: "success" },
      h.buyerOf(buyer.id),
    );
    // The commit timer runs, commits the reservation, and the process dies before recording it.
    await waitForValue(
      async () => ((await h.level(shop.owner, sku)).onHand === 3 ? true : undefined),
      "the commit",
      60_000,
    );
    await dying.kill();
    const restarted = await h.orderProcess();
    const paid = await crash.orderOf(restarted, buyer.id, "PAID");
    assert.equal(paid.id, res.orders[0]?.id);
    assert.deepEqual(await h.level(shop.owner, sku), { onHand: 3, reserved: 0, available: 3 });
    assert.equal(await crash.paymentsOf(res.checkoutId), 1);
    await restarted.kill();
  });

  test("payment is down at checkout: the stock stays held, a retry after its restart completes with one payment", async () => {
    const { shop, buyer, shipping, sku } = await crash.scenario(3, 1);
    const order = await h.orderProcess();
    const c = crash.client(order);
    const restartPayment = await h.crash("payment");
    const req = { idempotencyKey: "payment-down", addressId: buyer.addressId, shipping, ...va };
    await assert.rejects(c.checkout(req, h.buyerOf(buyer.id)));
    assert.equal((await h.level(shop.owner, sku)).reserved, 1);
    await restartPayment();
    // The buyer retries (the client's channel reconnects to the restarted payment service).
    const res = await waitForValue(
      () => c.checkout(req, h.buyerOf(buyer.id)).catch(() => undefined),
      "a retried checkout to succeed",
      60_000,
    );
    assert.equal(res.orders[0]?.status, "AWAITING_PAYMENT");
    assert.equal(await crash.paymentsOf(res.checkoutId), 1);
    c.close();
    await order.kill();
  });

  test("inventory is down at checkout: nothing is charged; the resume timer finishes once it is back", async () => {
    const { shop, buyer, shipping, sku } = await crash.scenario(3, 1);
    const order = await h.orderProcess();
    const c = crash.client(order);
    const restartInventory = await h.crash("inventory");
    await assert.rejects(
      c.checkout(
        { idempotencyKey: "inventory-down", addressId: buyer.addressId, shipping, ...va },
        h.buyerOf(buyer.id),
      ),
    );
    const checkoutId = await crash.checkoutIdOf(buyer.id, "inventory-down");
    assert.equal(await crash.paymentsOf(checkoutId), 0, "no payment without a reservation");
    await restartInventory();
    const placed = await crash.orderOf(order, buyer.id, "AWAITING_PAYMENT");
    assert.equal(placed.checkoutId, checkoutId);
    assert.equal((await h.level(shop.owner, sku)).reserved, 1);
    assert.equal(await crash.paymentsOf(checkoutId), 1);
    c.close();
    await order.kill();
  });
});
