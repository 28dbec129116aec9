import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, renderEmail, renderInApp, renderSms, safeUrl } from "./render.ts";
import { copyFor } from "./templates.ts";
import { sendStep } from "./throttle.ts";
import { UnsubscribeTokens } from "./unsubscribe.ts";

describe("rendering", () => {
  it("escapes every value in HTML and drops unsafe links", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    assert.equal(safeUrl("javascript:alert(1)"), undefined);
    assert.equal(safeUrl("//evil.example"), undefined);
    assert.equal(safeUrl("/orders/1"), "/orders/1");
    const email = renderEmail({
      subject: "<b>Hi</b>",
      paragraphs: ["<script>x</script>"],
      action: { label: "Go", url: "javascript:alert(1)" },
    });
    assert.ok(!email.html.includes("<script>"));
    assert.ok(!email.html.includes("javascript:"));
    assert.equal(email.text, "<script>x</script>");
  });

  it("writes each locale, with rupiah and Jakarta time, and short SMS", () => {
    const data = {
      orderId: "o1",
      total: 161000,
      method: "bank_transfer_va",
      paymentChannel: "bca",
      payAmount: 161000,
      pay_vaNumber: "880812",
    };
    const id = copyFor("order_placed", data, { locale: "id", name: "Budi", origin: "https://t" });
    const en = copyFor("order_placed", data, { locale: "en", name: "Budi", origin: "https://t" });
    assert.equal(id.paragraphs[0], "Halo Budi,");
    assert.match(id.paragraphs.join("\n"), /Rp161\.000/);
    assert.match(id.paragraphs.join("\n"), /Nomor virtual account: 880812/);
    assert.match(en.paragraphs.join("\n"), /Virtual account number: 880812/);
    assert.equal(en.action?.url, "https://t/orders/o1");
    const inApp = renderInApp(
      copyFor("order_paid", { orderId: "o1", total: 5 }, { locale: "id", name: "", origin: "" }),
    );
    assert.equal(inApp.link, "/orders/o1");
    assert.ok(renderSms({ subject: "S", paragraphs: ["hi", "x".repeat(500)] }).length <= 320);
  });
});

describe("unsubscribe tokens", () => {
  it("verify what they signed, and nothing forged, foreign or locked", () => {
    const tokens = new UnsubscribeTokens("secret-0123456789abcdef");
    const t = tokens.sign({ userId: "u1", channel: "email", category: "marketing" });
    assert.deepEqual(tokens.verify(t), { userId: "u1", channel: "email", category: "marketing" });
    assert.equal(new UnsubscribeTokens("another-secret-0123456789").verify(t), undefined);
    assert.equal(tokens.verify(`${t}x`), undefined);
    assert.equal(tokens.verify("a.b.c"), undefined);
    assert.equal(
      tokens.verify(tokens.sign({ userId: "u1", channel: "email", category: "orders" })),
      undefined,
    );
  });
});

describe("campaign pacing", () => {
  it("queues at most the batch and waits what the batch is worth at the rate", () => {
    const now = new Date(0);
    assert.deepEqual(sendStep(10, 5, now), { batch: 5, nextAt: new Date(500) });
    assert.deepEqual(sendStep(200, 100, now), { batch: 100, nextAt: new Date(500) });
    assert.deepEqual(sendStep(2, 100, now), { batch: 2, nextAt: new Date(1000) });
  });
});
