import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEnvelope } from "@toko/kit";
import { waitFor } from "@toko/testing";
import { type Harness, orderLifecycle, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const subjects = (h: Harness, email: string) =>
  h.smtp
    .to(email)
    .map((m) => m.subject)
    .sort();

describe("an order's whole life", () => {
  it("sends each expected message once, on the expected channels, also when events come twice", async () => {
    const buyer = await h.register("Budi Santoso", "+6281234567890");
    const seller = await h.register("Sari Penjual");
    const shopId = await h.openShop(seller.id);

    // Registration (real user events): welcome and a verification link whose token works.
    await waitFor(() => h.smtp.to(buyer.email).length >= 2, "the welcome and verification emails");
    const verify = h.smtp.to(buyer.email).find((m) => m.subject === "Konfirmasi alamat email kamu");
    assert.ok(verify, "a verification email");
    const link = /http:\/\/localhost:8080\/verify-email\?token=([A-Za-z0-9_%.-]+)/.exec(verify.text);
    assert.ok(link?.[1], `a verification link in: ${verify.text}`);
    const token = decodeURIComponent(link[1]);
    await h.users.verifyEmail({ token }, { principal: null });
    // The token never rests in the service's database (only its sealed form does).
    for (const table of ["deliveries", "inbox", "kit_inbox", "kit_dead_letters", "shop_messages"]) {
      const { rows } = await h.notificationDb.pool.query(
        `SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`,
        [token],
      );
      assert.equal(rows[0].n, 0, `no plain token in ${table}`);
    }

    const order = orderLifecycle({ buyerId: buyer.id, shopId });
    const steps = [order.placed, order.paid, order.accepted, order.shipped, order.delivered, order.completed];
    for (const e of steps) await h.publish(e);
    // Redelivered (same event ids) and re-published by a confused producer (new ids, same facts).
    await h.publishOnly(...steps);
    const republished = steps.map((e) =>
      createEnvelope("order", { type: e.type, subject: e.subject, payload: e.payload }),
    );
    await h.publish(...republished);
    await h.settled();

    assert.deepEqual(subjects(h, buyer.email), [
      "Konfirmasi alamat email kamu",
      "Pembayaran diterima",
      "Pesanan dibuat, segera bayar",
      "Pesanan dikirim",
      "Pesanan selesai",
      "Pesanan tiba",
      "Selamat datang di Toko",
    ]);
    assert.deepEqual(subjects(h, seller.email), [
      "Konfirmasi alamat email kamu",
      "Pesanan baru",
      "Selamat datang di Toko",
    ]);
    const placed = h.smtp.to(buyer.email).find((m) => m.subject === "Pesanan dibuat, segera bayar");
    assert.match(placed?.text ?? "", /8808123456789012/, "the virtual account number");
    assert.match(placed?.text ?? "", /Rp161\.000/, "the amount");
    assert.match(placed?.text ?? "", /Halo Budi Santoso,/);
    assert.match(placed?.html ?? "", /https:\/\/toko\.test\/orders\//);
    const shipped = h.smtp.to(buyer.email).find((m) => m.subject === "Pesanan dikirim");
    assert.match(shipped?.text ?? "", /JNE0012345678/, "the tracking number");

    // In-app: the buyer's inbox has each step once; the seller's the welcome and the new order.
    const inbox = await h.client(buyer.id).listInbox({ page: { limit: 100, cursor: "" }, unreadOnly: false });
    assert.deepEqual(
      inbox.items.map((i) => i.title).sort(),
      [
        "Kurir menuju alamatmu",
        "Pembayaran diterima",
        "Pesanan dibuat, segera bayar",
        "Pesanan dikirim",
        "Pesanan sedang disiapkan",
        "Pesanan selesai",
        "Pesanan tiba",
        "Selamat datang di Toko",
      ].filter((t) => t !== "Kurir menuju alamatmu"),
    );
    assert.equal(inbox.unread, 7);
    const sellerInbox = await h
      .client(seller.id)
      .listInbox({ page: { limit: 100, cursor: "" }, unreadOnly: false });
    assert.deepEqual(sellerInbox.items.map((i) => i.title).sort(), [
      "Pesanan baru",
      "Selamat datang di Toko",
    ]);
    assert.equal(
      sellerInbox.items.find((i) => i.title === "Pesanan baru")?.link,
      `/seller/orders/${order.orderId}`,
    );

    // SMS: the shipment, once (order updates go by SMS unless turned off).
    const { rows: sms } = await h.notificationDb.pool.query("SELECT to_number, body FROM sms_sandbox");
    assert.equal(sms.length, 1);
    assert.equal(sms[0].to_number, "+6281234567890");
    assert.match(sms[0].body, /JNE0012345678/);

    // The delivery log: every email and SMS sent once.
    const { rows: log } = await h.notificationDb.pool.query(
      "SELECT channel, status, count(*)::int AS n FROM deliveries GROUP BY channel, status ORDER BY channel, status",
    );
    assert.deepEqual(log, [
      { channel: "email", status: "sent", n: 10 },
      { channel: "sms", status: "sent", n: 1 },
    ]);
  });

  it("paginates the inbox and marks items read once; another user's item is NOT_FOUND", async () => {
    const buyer = await h.register("Ani");
    const order = orderLifecycle({ buyerId: buyer.id, shopId: "no-such-shop" });
    await h.publish(order.placed, order.paid, order.accepted);
    await h.settled();
    const me = h.client(buyer.id);
    const first = await me.listInbox({ page: { limit: 2, cursor: "" }, unreadOnly: false });
    assert.equal(first.items.length, 2);
    assert.notEqual(first.page?.nextCursor, "");
    const second = await me.listInbox({
      page: { limit: 2, cursor: first.page?.nextCursor ?? "" },
      unreadOnly: false,
    });
    assert.equal(second.items.length, 2);
    assert.equal(second.page?.nextCursor, "");
    assert.equal(first.unread, 4);
    const id = first.items[0]?.id ?? "";
    const read = await me.markRead({ notificationId: id });
    assert.ok(read.item?.readAt);
    const again = await me.markRead({ notificationId: id });
    assert.equal(again.item?.readAt?.getTime(), read.item?.readAt?.getTime());
    const { rejectsWithCode } = await import("@toko/testing");
    await rejectsWithCode(h.client("someone-else").markRead({ notificationId: id }), "NOT_FOUND");
    await rejectsWithCode(me.markRead({ notificationId: "not-an-id" }), "NOT_FOUND");
    await rejectsWithCode(
      me.listInbox({ page: { limit: 10, cursor: "garbage" }, unreadOnly: false }),
      "VALIDATION_FAILED",
    );
    const unread = await me.listInbox({ page: { limit: 10, cursor: "" }, unreadOnly: true });
    assert.equal(unread.unread, 3);
    assert.equal(unread.items.length, 3);
    // The shop does not exist: its message is dropped, not retried forever.
    const { rows } = await h.notificationDb.pool.query("SELECT count(*)::int AS n FROM shop_messages");
    assert.equal(rows[0].n, 0);
  });
});
