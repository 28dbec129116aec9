import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { crc16 } from "../src/infrastructure/sandbox/qris.ts";
import {
  accountBalance,
  assertLedgerBalanced,
  type Harness,
  outboxTypes,
  paymentRequest,
  startHarness,
  waitForStatus,
} from "./harness.ts";

// Each method from CreatePayment to PaymentSucceeded, the sandbox notifying over HTTP with a
// signed webhook (relayed to ReceiveNotification as the gateway does), real gRPC and PostgreSQL.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

/** Pays through the sandbox and checks the success: status, one event, ledger. */
async function payAndCheck(id: string): Promise<void> {
  await h.buyer.simulatePayment({ paymentId: id, outcome: "success" });
  const paid = await waitForStatus(h, id, "SUCCEEDED");
  assert.equal(paid.captured?.amount, 150_000);
  assert.ok(paid.paidAt);
  assert.deepEqual(await outboxTypes(h.db.pool, id), ["PaymentSucceeded"]);
  assert.equal(await accountBalance(h.db.pool, id, "provider_clearing"), 150_000);
  assert.equal(await accountBalance(h.db.pool, id, "seller_payable:shop-a"), -95_000);
  assert.equal(await accountBalance(h.db.pool, id, "platform_commission"), -7_500);
  await assertLedgerBalanced(h.db.pool);
}

describe("bank transfer virtual accounts", () => {
  const formats: Record<string, RegExp> = {
    bca: /^39358\d{11}$/,
    bni: /^98812345\d{8}$/,
    bri: /^26215\d{10}$/,
    mandiri: /^\d{12}$/,
    permata: /^8528\d{12}$/,
  };
  for (const [bank, format] of Object.entries(formats)) {
    test(`${bank}: a number in the bank's format, paid by transfer`, async () => {
      const { payment, created } = await h.order.createPayment(paymentRequest({ channel: bank }));
      assert.ok(payment && created);
      assert.equal(payment.status, "PENDING");
      assert.equal(payment.instructions?.bank, bank);
      assert.match(payment.instructions?.vaNumber ?? "", format);
      if (bank === "mandiri") assert.equal(payment.instructions?.billerCode, "70012");
      await payAndCheck(payment.id);
    });
  }
});

describe("e-wallets", () => {
  for (const wallet of ["gopay", "ovo", "dana", "shopeepay"]) {
    test(`${wallet}: a QRIS payload with a valid CRC and an app link, paid in the app`, async () => {
      const { payment } = await h.order.createPayment(paymentRequest({ method: "ewallet", channel: wallet }));
      assert.ok(payment);
      const qr = payment.instructions?.qrString ?? "";
      assert.match(qr, /^000201010212/);
      assert.match(qr, /5303360/);
      assert.match(qr, /5406150000/);
      assert.equal(qr.slice(-4), crc16(qr.slice(0, -4)));
      assert.match(
        payment.instructions?.deeplinkUrl ?? "",
        new RegExp(`^http://toko.test/payments/sandbox/.+\\?app=${wallet}$`),
      );
      await payAndCheck(payment.id);
    });
  }
});

describe("credit card", () => {
  test("the provider's card page tokenises the card, 3-D Secure confirms, the payment succeeds", async () => {
    const { payment } = await h.order.createPayment(paymentRequest({ method: "credit_card", channel: "" }));
    assert.ok(payment);
    const url = payment.instructions?.redirectUrl ?? "";
    const token = decodeURIComponent(url.split("/payments/sandbox/")[1] ?? "");
    const page = await h.anonymous.getSandboxSession({ token });
    assert.equal(page.session?.step, "card");
    const tokenised = await h.anonymous.actOnSandboxSession({
      token,
      action: "tokenize_card",
      cardBrand: "visa",
      cardLast4: "1111",
      otp: "",
    });
    assert.equal(tokenised.session?.step, "three_ds");
    assert.equal(tokenised.session?.card, "visa •••• 1111");
    // The card number is nowhere in Toko's database: only brand and last four.
    const { rows } = await h.db.pool.query("SELECT card FROM sandbox_charges WHERE payment_id = $1", [
      payment.id,
    ]);
    assert.deepEqual(rows, [{ card: "visa •••• 1111" }]);
    const done = await h.anonymous.actOnSandboxSession({
      token,
      action: "verify_3ds",
      cardBrand: "",
      cardLast4: "",
      otp: "112233",
    });
    assert.equal(done.session?.step, "done");
    await waitForStatus(h, payment.id, "SUCCEEDED");
    assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
    await assertLedgerBalanced(h.db.pool);
  });

  test("a wrong 3-D Secure code declines the payment (PaymentFailed); a forged page token is NOT_FOUND", async () => {
    const { payment } = await h.order.createPayment(paymentRequest({ method: "credit_card", channel: "" }));
    assert.ok(payment);
    const token = decodeURIComponent(
      (payment.instructions?.redirectUrl ?? "").split("/payments/sandbox/")[1] ?? "",
    );
    await rejectsWithCode(h.anonymous.getSandboxSession({ token: `${payment.id}.forged` }), "NOT_FOUND");
    await h.anonymous.actOnSandboxSession({
      token,
      action: "tokenize_card",
      cardBrand: "mastercard",
      cardLast4: "4444",
      otp: "",
    });
    await h.anonymous.actOnSandboxSession({
      token,
      action: "verify_3ds",
      cardBrand: "",
      cardLast4: "",
      otp: "000000",
    });
    const failed = await waitForStatus(h, payment.id, "FAILED");
    assert.equal(failed.statusReason, "declined");
    assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentFailed"]);
    assert.equal(await accountBalance(h.db.pool, payment.id, "provider_clearing"), 0);
  });
});

describe("cash on delivery", () => {
  test("waits for the courier (no expiry, no simulate) and succeeds once on SettleCod", async () => {
    const { payment } = await h.order.createPayment(paymentRequest({ method: "cod", channel: "" }));
    assert.ok(payment);
    assert.match(payment.instructions?.note ?? "", /courier/);
    await rejectsWithCode(
      h.buyer.simulatePayment({ paymentId: payment.id, outcome: "success" }),
      "PAYMENT_NOT_PENDING",
    );
    await rejectsWithCode(
      h.order.settleCod({ paymentId: payment.id, collected: { amount: 1, currency: "IDR" } }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(
      h.buyer.settleCod({ paymentId: payment.id, collected: { amount: 150_000, currency: "IDR" } }),
      "FORBIDDEN",
    );
    for (let i = 0; i < 2; i++) {
      const settled = await h.order.settleCod({
        paymentId: payment.id,
        collected: { amount: 150_000, currency: "IDR" },
      });
      assert.equal(settled.payment?.status, "SUCCEEDED");
    }
    assert.deepEqual(await outboxTypes(h.db.pool, payment.id), ["PaymentSucceeded"]);
    assert.equal(await accountBalance(h.db.pool, payment.id, "cod_clearing"), 150_000);
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM kit_timers WHERE key = $1", [
      payment.id,
    ]);
    assert.equal(rows[0].n, 0);
    await assertLedgerBalanced(h.db.pool);
  });
});
