import assert from "node:assert/strict";
import { test } from "node:test";
import { retryDelay } from "./delivery-timer.ts";
import { crc16, qrisPayload } from "./qris.ts";
import { signedHeaders, verifySignature } from "./signing.ts";
import { newVirtualAccount } from "./va-numbers.ts";

test("CRC-16/CCITT-FALSE matches its check value, and closes a QRIS payload", () => {
  assert.equal(crc16("123456789"), "29B1");
  const qr = qrisPayload({
    acquirer: "ID.DANA.WWW",
    reference: "sbx_1",
    amount: 25_000,
    merchant: "TOKO",
    city: "JAKARTA",
  });
  assert.match(qr, /^00020101021226/);
  assert.match(qr, /540525000/);
  assert.equal(qr.slice(-8, -4), "6304");
  assert.equal(qr.slice(-4), crc16(qr.slice(0, -4)));
});

test("virtual account numbers follow each bank's layout", () => {
  assert.match(newVirtualAccount("bca").vaNumber, /^39358\d{11}$/);
  assert.match(newVirtualAccount("bni").vaNumber, /^988\d{13}$/);
  assert.match(newVirtualAccount("bri").vaNumber, /^26215\d{10}$/);
  assert.match(newVirtualAccount("permata").vaNumber, /^8528\d{12}$/);
  assert.deepEqual(Object.keys(newVirtualAccount("mandiri")).sort(), ["billerCode", "vaNumber"]);
});

test("a signature verifies for its body and time only", () => {
  const body = Buffer.from('{"id":"n1"}');
  const at = new Date("2026-01-01T00:00:00Z");
  const headers = signedHeaders("secret-0123456789abcdef", body, at);
  assert.match(verifySignature("secret-0123456789abcdef", headers, body, at, 300), /^[0-9a-f]{64}$/);
  const refused = (fn: () => unknown) => assert.throws(fn, { code: "WEBHOOK_REJECTED" });
  refused(() => verifySignature("another-secret-0123456789", headers, body, at, 300));
  refused(() => verifySignature("secret-0123456789abcdef", headers, Buffer.from('{"id":"n2"}'), at, 300));
  refused(() =>
    verifySignature("secret-0123456789abcdef", headers, body, new Date(at.getTime() + 301_000), 300),
  );
  refused(() =>
    verifySignature("secret-0123456789abcdef", { ...headers, "x-sandbox-signature": "v1=zz" }, body, at, 300),
  );
});

test("redelivery backs off by doubling, up to the maximum", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 10, 100].map((n) => retryDelay(n, 2_000, 600_000)),
    [2_000, 4_000, 8_000, 16_000, 600_000, 600_000],
  );
});
