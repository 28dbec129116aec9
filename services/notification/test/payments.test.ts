import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PaymentFailed } from "@toko/contracts/toko/payment/v1/events";
import { createEnvelope, decodeEnvelope, protoEvent, uuidv7 } from "@toko/kit";
import { testPrincipal, waitFor, waitForValue } from "@toko/testing";
import { type Harness, signedNotification, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness({}, { payment: true });
});
after(() => h?.stop());

const ORDER_SERVICE = { principal: testPrincipal("service:order", ["service"]) };

/** A pending virtual-account payment of Rp150.000 for one order of `buyerId`. */
async function openPayment(buyerId: string) {
  const orderId = `ord-${uuidv7()}`;
  const { payment } = await h.payments.createPayment(
    {
      checkoutId: `chk-${uuidv7()}`,
      payerId: buyerId,
      amount: { amount: 150_000, currency: "IDR" },
      method: "bank_transfer_va",
      channel: "bca",
      expiresAt: new Date(Date.now() + 3600_000),
      allocations: [
        {
          orderId,
          shopId: "shop-1",
          amount: { amount: 150_000, currency: "IDR" },
          commission: { amount: 7_500, currency: "IDR" },
        },
      ],
    },
    ORDER_SERVICE,
  );
  assert.ok(payment);
  return { id: payment.id, checkoutId: payment.checkoutId, orderId, amount: 150_000 };
}

const statusOf = (id: string, status: string) =>
  waitForValue(async () => {
    const { payment } = await h.payments.getPayment({ paymentId: id }, ORDER_SERVICE);
    return payment?.status === status ? payment : undefined;
  }, `payment ${id} ${status}`);

/** The payment's events on the bus, as the payment service published them. */
async function busEvents(paymentId: string) {
  const { rows } = await h.busDb.pool.query<{ envelope: Buffer }>(
    "SELECT envelope FROM kit_bus_events WHERE subject = $1 ORDER BY seq",
    [paymentId],
  );
  return rows.map((r) => decodeEnvelope(r.envelope));
}

/** Waits until the notification service handled every event of these payments. */
async function handledAll(paymentIds: string[], types: string[]) {
  await waitFor(async () => {
    const events = (await Promise.all(paymentIds.map(busEvents)))
      .flat()
      .filter((e) => types.includes(e.type));
    if (events.length < types.length) return false;
    const { rowCount } = await h.notificationDb.pool.query(
      "SELECT 1 FROM kit_inbox WHERE group_name = 'notification.payments' AND event_id = ANY($1::uuid[])",
      [events.map((e) => e.id)],
    );
    return rowCount === events.length;
  }, "the notification service to handle the payment events");
}

/** Waits until the payments group has read everything the bus holds. */
const caughtUp = () =>
  waitFor(async () => {
    const { rows } = await h.busDb.pool.query<{ lag: number }>(
      `SELECT coalesce(sum(p.head - o.committed), 0)::int AS lag
         FROM kit_bus_offsets o JOIN kit_bus_partitions p ON p.partition = o.partition
        WHERE o.group_name = 'notification.payments'`,
    );
    return Number(rows[0]?.lag) === 0;
  }, "the payments group to catch up");

const subjects = (email: string) =>
  h.smtp
    .to(email)
    .map((m) => m.subject)
    .sort();

describe("payment events", () => {
  it("tells the payer once about a failed payment and a refund no order announces, also when events come again", async () => {
    const buyer = await h.register("Rina Pembeli");
    const english = await h.register("Eko English");
    await h.client(english.id).updatePreferences({ locale: "en", changes: [] });
    await waitFor(() => h.smtp.to(english.email).length >= 2, "the welcome and verification emails");

    // Declined, then paid anyway (taken and refunded at once: RefundSucceeded, automatic).
    const failed = await openPayment(buyer.id);
    await h.payments.receiveNotification(signedNotification(failed, "payment.failed"), { principal: null });
    await statusOf(failed.id, "FAILED");
    await h.payments.receiveNotification(signedNotification(failed, "payment.succeeded"), {
      principal: null,
    });
    await statusOf(failed.id, "REFUNDED");
    // Declined for the English speaker.
    const declined = await openPayment(english.id);
    await h.payments.receiveNotification(signedNotification(declined, "payment.failed"), { principal: null });
    // Paid, then refunded for its order (OrderRefunded tells the buyer about that one: no message here).
    const paid = await openPayment(buyer.id);
    await h.payments.receiveNotification(signedNotification(paid, "payment.succeeded"), { principal: null });
    await statusOf(paid.id, "SUCCEEDED");
    await h.payments.refundPayment(
      {
        paymentId: paid.id,
        refundId: `ref-${paid.orderId}`,
        amount: { amount: 150_000, currency: "IDR" },
        orderId: paid.orderId,
        reason: "BUYER_CANCELLED",
      },
      ORDER_SERVICE,
    );
    const wanted = ["toko.payment.v1.PaymentFailed", "toko.payment.v1.RefundSucceeded"];
    await handledAll([failed.id], wanted);
    await handledAll([declined.id], ["toko.payment.v1.PaymentFailed"]);
    await handledAll([paid.id], ["toko.payment.v1.RefundSucceeded"]);
    await h.settled();

    // Redelivered: after a restart the group reads the whole log again (its inbox rows make that
    // a no-op) …
    await h.restart(async () => {
      await h.busDb.pool.query(
        "UPDATE kit_bus_offsets SET committed = 0 WHERE group_name = 'notification.payments'",
      );
    });
    await caughtUp();
    // … and re-published with new event ids (the business keys make that a no-op too).
    const again = (await Promise.all([failed.id, declined.id, paid.id].map(busEvents)))
      .flat()
      .filter((e) => wanted.includes(e.type))
      .map((e) => createEnvelope("payment", { type: e.type, subject: e.subject, payload: e.payload }));
    await h.publish(...again);
    await h.settled();

    assert.deepEqual(subjects(buyer.email), [
      "Dana dikirim kembali",
      "Konfirmasi alamat email kamu",
      "Pembayaran gagal",
      "Selamat datang di Toko",
    ]);
    const failure = h.smtp.to(buyer.email).find((m) => m.subject === "Pembayaran gagal");
    assert.match(
      failure?.text ?? "",
      new RegExp(`checkout ${failed.checkoutId} \\(pesanan ${failed.orderId}\\)`),
    );
    assert.match(failure?.text ?? "", /Transfer virtual account \(BCA\)/);
    assert.match(failure?.text ?? "", /pilih metode pembayaran lain/);
    const refund = h.smtp.to(buyer.email).find((m) => m.subject === "Dana dikirim kembali");
    assert.match(refund?.text ?? "", /Rp150\.000 sudah dikirim ke Transfer virtual account \(BCA\)/);
    assert.match(refund?.text ?? "", /setelah pembayaran itu dinyatakan gagal/);
    assert.match(refund?.text ?? "", new RegExp(failed.checkoutId));

    // The payer's locale.
    assert.deepEqual(subjects(english.email), [
      "Confirm your email address",
      "Payment failed",
      "Welcome to Toko",
    ]);
    const declinedMail = h.smtp.to(english.email).find((m) => m.subject === "Payment failed");
    assert.match(declinedMail?.text ?? "", /failed or was declined/);
    assert.match(declinedMail?.text ?? "", /choose another payment method/);

    // In-app, once each.
    const inbox = await h.client(buyer.id).listInbox({ page: { limit: 100, cursor: "" }, unreadOnly: false });
    assert.deepEqual(inbox.items.map((i) => i.title).sort(), [
      "Dana dikirim kembali",
      "Pembayaran gagal",
      "Selamat datang di Toko",
    ]);
    const { rows } = await h.notificationDb.pool.query(
      `SELECT kind, channel, status, count(*)::int AS n FROM deliveries
        WHERE kind IN ('payment_failed', 'refund_sent') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    assert.deepEqual(rows, [
      { kind: "payment_failed", channel: "email", status: "sent", n: 2 },
      { kind: "refund_sent", channel: "email", status: "sent", n: 1 },
    ]);
    const { rows: waiting } = await h.notificationDb.pool.query(
      "SELECT count(*)::int AS n FROM payer_messages",
    );
    assert.equal(waiting[0].n, 0);
  });

  it("drops a message for a payment the payment service does not know", async () => {
    const paymentId = `pay_${"0".repeat(32)}`;
    const event = createEnvelope(
      "payment",
      protoEvent(
        "toko.payment.v1.PaymentFailed",
        paymentId,
        PaymentFailed,
        PaymentFailed.fromPartial({ paymentId, checkoutId: "chk-none", reason: "declined" }),
      ),
    );
    await h.publish(event);
    await h.settled();
    const { rows } = await h.notificationDb.pool.query(
      "SELECT (SELECT count(*) FROM payer_messages)::int AS waiting, (SELECT count(*) FROM deliveries WHERE data::text LIKE '%chk-none%')::int AS sent",
    );
    assert.deepEqual(rows[0], { waiting: 0, sent: 0 });
  });
});
