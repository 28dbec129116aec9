import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CrashHarness, type Harness, startCrashHarness, va } from "./crash-harness.ts";

// Crash recovery: the order service (or a service it calls) dies with SIGKILL at a step of the
// saga; after a restart every checkout ends paid or waiting for payment, with one payment, the
// stock held or taken exactly once, and nothing charged twice.
let crash: CrashHarness;
let h: Harness;

before(async () => {
  crash = await startCrashHarness();
  h = crash.h;
});
after(async () => {
  await h?.close();
});

describe("crash recovery", () => {
  for (const step of ["reserved", "payment-created"] as const) {
    test(`the order service dies after ${step}: a restart carries the checkout on to its one payment`, async () => {
      const { shop, buyer, shipping, sku } = await crash.scenario(5, 2);
      const dying = await h.orderProcess({ ORDER_CRASH_AT: step });
      const c = crash.client(dying);
      await assert.rejects(
        c.checkout(
          { idempotencyKey: `crash-${step}`, addressId: buyer.addressId, shipping, ...va },
          h.buyerOf(buyer.id),
        ),
      );
      c.close();
      await dying.kill();
      const checkoutId = await crash.checkoutIdOf(buyer.id, `crash-${step}`);
      assert.ok(checkoutId, "the checkout was recorded before the crash");
      // The stock is held, the payment exists at most once, nothing is shown to the buyer yet.
      assert.equal((await h.level(shop.owner, sku)).reserved, 2);
      assert.equal(await crash.paymentsOf(checkoutId), step === "reserved" ? 0 : 1);

      const restarted = await h.orderProcess();
      const placed = await crash.orderOf(restarted, buyer.id, "AWAITING_PAYMENT");
      assert.equal(placed.checkoutId, checkoutId);
      assert.equal(await crash.paymentsOf(checkoutId), 1);
      // The buyer's retry answers the same checkout and payment.
      const rc = crash.client(restarted);
      const retry = await rc.checkout(
        { idempotencyKey: `crash-${step}`, addressId: buyer.addressId, shipping, ...va },
        h.buyerOf(buyer.id),
      );
      assert.equal(retry.checkoutId, checkoutId);
      assert.equal(await crash.paymentsOf(checkoutId), 1);
      await h.payments.simulatePayment(
        { paymentId: retry.payment?.paymentId ?? "", outcome: "success" },
        h.buyerOf(buyer.id),
      );
      await crash.orderOf(restarted, buyer.id, "PAID");
      assert.deepEqual(await h.level(shop.owner, sku), { onHand: 3, reserved: 0, available: 3 });
      rc.close();
      await restarted.kill();
    });
  }
});
