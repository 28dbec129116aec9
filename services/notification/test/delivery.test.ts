import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { countRows, rejectsWithCode, waitFor } from "@toko/testing";
import { type Harness, orderLifecycle, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

describe("delivery", () => {
  it("keeps email through an SMTP outage and delivers it once the server is back", async () => {
    const buyer = await h.register("Citra");
    await waitFor(() => h.smtp.to(buyer.email).length === 2, "the registration emails");
    const port = h.smtp.port;
    await h.smtp.stop();
    const order = orderLifecycle({ buyerId: buyer.id, shopId: "no-such-shop" });
    await h.publish(order.paid);
    // Attempts fail and are written to the delivery log while the server is down.
    await waitFor(
      async () => {
        const { rows } = await h.notificationDb.pool.query(
          "SELECT attempts, last_error FROM deliveries WHERE user_id = $1 AND kind = 'order_paid'",
          [buyer.id],
        );
        return rows[0]?.attempts >= 2 && rows[0]?.last_error !== null;
      },
      "failed attempts in the delivery log",
      30_000,
    );
    const { rows: pending } = await h.notificationDb.pool.query(
      "SELECT status FROM deliveries WHERE user_id = $1 AND kind = 'order_paid'",
      [buyer.id],
    );
    assert.equal(pending[0]?.status, "pending");
    await h.smtp.start(port);
    await waitFor(
      () => h.smtp.to(buyer.email).some((m) => m.subject === "Pembayaran diterima"),
      "the email after recovery",
      30_000,
    );
    await h.settled();
    assert.equal(h.smtp.to(buyer.email).filter((m) => m.subject === "Pembayaran diterima").length, 1);
    const { rows } = await h.notificationDb.pool.query(
      "SELECT status, address FROM deliveries WHERE user_id = $1 AND kind = 'order_paid'",
      [buyer.id],
    );
    assert.deepEqual(rows, [{ status: "sent", address: buyer.email }]);
  });

  it("respects preferences: defaults, opt-outs, locked transactional ones, locale", async () => {
    const buyer = await h.register("Dewi", "+628111222333");
    const me = h.client(buyer.id);
    const initial = await me.getPreferences({});
    assert.equal(initial.locale, "id");
    const pref = (p: typeof initial, channel: string, category: string) =>
      p.preferences.find((x) => x.channel === channel && x.category === category);
    assert.deepEqual(pref(initial, "email", "orders"), {
      channel: "email",
      category: "orders",
      enabled: true,
      locked: true,
    });
    assert.deepEqual(pref(initial, "sms", "orders"), {
      channel: "sms",
      category: "orders",
      enabled: true,
      locked: false,
    });
    assert.equal(pref(initial, "email", "marketing")?.enabled, false);

    // Turning off a transactional channel is refused, and nothing in the request is applied.
    await rejectsWithCode(
      me.updatePreferences({
        locale: "en",
        changes: [
          { channel: "email", category: "marketing", enabled: true },
          { channel: "email", category: "orders", enabled: false },
        ],
      }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(
      me.updatePreferences({
        locale: "fr",
        changes: [{ channel: "pigeon", category: "orders", enabled: true }],
      }),
      "VALIDATION_FAILED",
    );
    assert.equal(await countRows(h.notificationDb.pool, "preferences", { user_id: buyer.id }), 0);
    assert.equal(await countRows(h.notificationDb.pool, "user_settings", { user_id: buyer.id }), 0);

    const updated = await me.updatePreferences({
      locale: "en",
      changes: [
        { channel: "sms", category: "orders", enabled: false },
        { channel: "email", category: "marketing", enabled: true },
      ],
    });
    assert.equal(updated.locale, "en");
    assert.equal(pref(updated, "sms", "orders")?.enabled, false);
    assert.equal(pref(updated, "email", "marketing")?.enabled, true);

    const order = orderLifecycle({ buyerId: buyer.id, shopId: "no-such-shop" });
    await h.publish(order.shipped);
    await h.settled();
    // No SMS (turned off); the email in English.
    const { rows: sms } = await h.notificationDb.pool.query(
      "SELECT 1 FROM sms_sandbox WHERE to_number = $1",
      ["+628111222333"],
    );
    assert.equal(sms.length, 0);
    const shipped = h.smtp.to(buyer.email).find((m) => m.subject === "Your order has shipped");
    assert.ok(shipped, `an English email among ${h.smtp.to(buyer.email).map((m) => m.subject)}`);
    assert.match(shipped.text, /^Hi Dewi,/);
    const inbox = await me.listInbox({ page: { limit: 10, cursor: "" }, unreadOnly: false });
    assert.deepEqual(
      inbox.items.map((i) => i.title),
      ["Your order has shipped", "Selamat datang di Toko"],
    );
  });

  it("escapes what users and sellers wrote in HTML, and keeps the plain-text alternative readable", async () => {
    const buyer = await h.register('<img src=x onerror="alert(1)">');
    await waitFor(() => h.smtp.to(buyer.email).length === 2, "the registration emails");
    const welcome = h.smtp.to(buyer.email).find((m) => m.subject === "Selamat datang di Toko");
    assert.ok(welcome);
    assert.ok(!welcome.html.includes("<img src=x"), "the name is escaped in HTML");
    assert.ok(welcome.html.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
    assert.ok(
      welcome.text.includes('Halo <img src=x onerror="alert(1)">,'),
      "plain text keeps the name as written",
    );
  });
});
