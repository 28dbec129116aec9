import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { waitForValue } from "@toko/testing";
import {
  CHECKOUT_SERVICES,
  type Json,
  type Marketplace,
  type MarketplaceApi,
  startMarketplace,
} from "./helpers/marketplace.ts";

// The buyer's whole journey through the real gateway and every real service as a process:
// checkout per payment method, the sandbox paying through the gateway's webhook, the seller
// accepting and shipping, the simulated carrier delivering, completion with the payout, returns.
let market: Marketplace;
let api: MarketplaceApi;

const call: MarketplaceApi["call"] = (...args) => api.call(...args);
const ok: MarketplaceApi["ok"] = (...args) => api.ok(...args);
const newShop = (units: number, price: number) => api.newShop(units, price);
const newBuyer = () => api.newBuyer();
const fill = (buyer: { token: string; addressId: string }, variantId: string, quantity: number) =>
  api.fill(buyer, variantId, quantity);

async function count(table: string): Promise<number> {
  const { rows } = await market.db("order").pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n as number;
}

before(
  async () => {
    market = await startMarketplace({
      services: CHECKOUT_SERVICES,
      env: {
        shipping: { TOKO_ENV: "development", SHIPPING_SIMULATOR: "true", SHIPPING_SIMULATOR_STEP_MS: "300" },
        payment: { SANDBOX_RETRY_MIN_MS: "100", SANDBOX_RETRY_MAX_MS: "500", TIMER_POLL_MS: "200" },
      },
    });
    api = market.api;
  },
  { timeout: 420_000 },
);
after(async () => {
  await market?.stop();
});

async function stockOf(seller: { token: string }, sku: string) {
  const levels = await ok("GET", `/api/v1/seller/stock?sku=${sku}`, seller.token);
  return levels.items[0] as { on_hand: number; reserved: number; available: number };
}

async function stockUntil(seller: { token: string }, sku: string, onHand: number) {
  return waitForValue(
    async () => {
      const s = await stockOf(seller, sku);
      return s.on_hand === onHand ? s : undefined;
    },
    `${sku} to have ${onHand} on hand`,
    60_000,
  );
}

/** The checkout's voucher uses in the cart's database: code → held | redeemed. */
async function voucherUses(checkoutId: string): Promise<Record<string, string>> {
  const { rows } = await market.db("cart").pool.query(
    `SELECT v.code, u.status FROM voucher_uses u JOIN vouchers v ON v.id = u.voucher_id
      WHERE u.checkout_id = $1 ORDER BY v.code`,
    [checkoutId],
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.status]));
}

async function paymentUntil(token: string, id: string, status: string) {
  return waitForValue(
    async () => {
      const p = await ok("GET", `/api/v1/payments/${id}`, token);
      return p.status === status ? p : undefined;
    },
    `payment ${id} to be ${status}`,
    60_000,
  );
}

async function orderUntil(token: string, id: string, status: string) {
  return waitForValue(
    async () => {
      const o = await ok("GET", `/api/v1/orders/${id}`, token);
      return o.status === status ? o : undefined;
    },
    `order ${id} to be ${status}`,
    90_000,
  );
}

const methods = [
  { payment_method: "bank_transfer_va", payment_channel: "bni", check: (i: Json) => assert.ok(i.va_number) },
  {
    payment_method: "ewallet",
    payment_channel: "gopay",
    check: (i: Json) => assert.ok(i.deeplink_url || i.qr_string),
  },
  { payment_method: "credit_card", check: (i: Json) => assert.ok(i.redirect_url) },
  { payment_method: "cod", check: (i: Json) => assert.ok(i.note) },
];

describe("checkout through the gateway", () => {
  for (const { check, ...method } of methods) {
    test(`${method.payment_method}: checkout → paid → accepted → shipped → delivered → completed → balance`, async () => {
      const shop = await newShop(5, 80_000);
      const buyer = await newBuyer();
      const shipping = await fill(buyer, shop.variantId, 2);
      const key = randomUUID();
      const body = { address_id: buyer.addressId, shipping, ...method };
      const res = await ok("POST", "/api/v1/checkout", buyer.token, body, 201, { "idempotency-key": key });
      assert.equal(res.orders.length, 1);
      const [order] = res.orders;
      assert.equal(order.status, "AWAITING_PAYMENT");
      assert.equal(res.payment.method, method.payment_method);
      assert.equal(res.payment.amount.amount, order.totals.total.amount);
      check(res.payment.instructions);
      // The same key and body: the same checkout.
      const again = await ok("POST", "/api/v1/checkout", buyer.token, body, 201, { "idempotency-key": key });
      assert.equal(again.checkout_id, res.checkout_id);

      if (method.payment_method !== "cod") {
        await ok(
          "POST",
          `/api/v1/payments/${res.payment.id}/simulate`,
          buyer.token,
          { outcome: "success" },
          202,
        );
      }
      await orderUntil(buyer.token, order.id, "PAID");
      const level = await stockOf(shop.seller, shop.sku);
      assert.deepEqual([level.on_hand, level.reserved, level.available], [3, 0, 3]);

      const listed = await ok("GET", "/api/v1/seller/orders?status=PAID", shop.seller.token);
      assert.deepEqual(
        listed.items.map((o: Json) => o.id),
        [order.id],
      );
      const pending = await ok("GET", "/api/v1/seller/balance", shop.seller.token);
      assert.equal(pending.pending.amount, order.totals.total.amount - listed.items[0].commission.amount);

      await ok("POST", `/api/v1/seller/orders/${order.id}/accept`, shop.seller.token);
      const shipped = await ok("POST", `/api/v1/seller/orders/${order.id}/ship`, shop.seller.token);
      assert.ok(shipped.awb && shipped.shipment_id && shipped.carrier);
      await orderUntil(buyer.token, order.id, "DELIVERED");
      const done = await ok("POST", `/api/v1/orders/${order.id}/complete`, buyer.token);
      assert.equal(done.status, "COMPLETED");
      assert.deepEqual(
        done.history.map((h: Json) => h.status),
        ["AWAITING_PAYMENT", "PAID", "PROCESSING", "SHIPPED", "DELIVERED", "COMPLETED"],
      );
      const balance = await ok("GET", "/api/v1/seller/balance", shop.seller.token);
      assert.equal(balance.pending.amount, 0);
      assert.equal(balance.available.amount, order.totals.total.amount - listed.items[0].commission.amount);
      assert.equal(balance.payouts.length, 1);
      if (method.payment_method === "cod") {
        const payment = await paymentUntil(buyer.token, res.payment.id, "SUCCEEDED");
        assert.equal(payment.captured.amount, res.payment.amount.amount);
      }
    });
  }

  test("the return flow: request → approve → receive → refund → restock", async () => {
    const shop = await newShop(4, 50_000);
    const buyer = await newBuyer();
    const shipping = await fill(buyer, shop.variantId, 2);
    const res = await ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      {
        address_id: buyer.addressId,
        shipping,
        payment_method: "bank_transfer_va",
        payment_channel: "bca",
      },
      201,
      { "idempotency-key": randomUUID() },
    );
    const orderId = res.orders[0].id as string;
    await ok("POST", `/api/v1/payments/${res.payment.id}/simulate`, buyer.token, { outcome: "success" }, 202);
    await orderUntil(buyer.token, orderId, "PAID");
    await ok("POST", `/api/v1/seller/orders/${orderId}/accept`, shop.seller.token);
    await ok("POST", `/api/v1/seller/orders/${orderId}/ship`, shop.seller.token, {});
    await orderUntil(buyer.token, orderId, "DELIVERED");

    const before = await count("returns");
    const bad = await call("POST", `/api/v1/orders/${orderId}/returns`, buyer.token, {
      lines: [{ line_id: "1", quantity: 3 }],
      reason: "Kemasan rusak",
    });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(await count("returns"), before);

    const ret = await ok(
      "POST",
      `/api/v1/orders/${orderId}/returns`,
      buyer.token,
      {
        lines: [{ line_id: "1", quantity: 1 }],
        reason: "Kemasan rusak",
      },
      201,
    );
    assert.equal(ret.status, "REQUESTED");
    assert.equal(ret.refund_amount.amount, 50_000);
    assert.equal((await ok("GET", `/api/v1/orders/${orderId}`, buyer.token)).status, "RETURN_REQUESTED");
    // Another seller cannot touch it.
    const other = await newShop(1, 1_000);
    assert.equal(
      (await call("POST", `/api/v1/seller/returns/${ret.id}/approve`, other.seller.token)).status,
      404,
    );

    const approved = await ok("POST", `/api/v1/seller/returns/${ret.id}/approve`, shop.seller.token);
    assert.equal(approved.status, "APPROVED");
    assert.ok(approved.shipment_id);
    const stockBefore = await stockOf(shop.seller, shop.sku);
    const received = await ok("POST", `/api/v1/seller/returns/${ret.id}/receive`, shop.seller.token);
    assert.equal(received.status, "RECEIVED");
    const order = await orderUntil(buyer.token, orderId, "RETURNED");
    assert.equal(order.returns[0].status, "REFUNDED");
    // The returned unit goes back into stock by the order service's durable restock.
    await stockUntil(shop.seller, shop.sku, stockBefore.on_hand + 1);
    const payment = await ok("GET", `/api/v1/payments/${res.payment.id}`, buyer.token);
    assert.equal(payment.refunded.amount, 50_000);
    // The shop is paid for what the buyer kept.
    const balance = await ok("GET", "/api/v1/seller/balance", shop.seller.token);
    assert.equal(balance.payouts.length, 1);
    assert.equal(balance.payouts[0].gross.amount, order.totals.total.amount - 50_000);
  });

  test("payment failure releases the stock; cancel after payment refunds", async () => {
    const shop = await newShop(3, 30_000);
    const buyer = await newBuyer();
    let shipping = await fill(buyer, shop.variantId, 1);
    const first = await ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      {
        address_id: buyer.addressId,
        shipping,
        payment_method: "ewallet",
        payment_channel: "ovo",
      },
      201,
      { "idempotency-key": randomUUID() },
    );
    await ok(
      "POST",
      `/api/v1/payments/${first.payment.id}/simulate`,
      buyer.token,
      { outcome: "failure" },
      202,
    );
    const cancelled = await orderUntil(buyer.token, first.orders[0].id, "CANCELLED");
    assert.equal(cancelled.cancel_reason, "PAYMENT_FAILED");
    await waitForValue(async () => {
      const s = await stockOf(shop.seller, shop.sku);
      return s.reserved === 0 ? s : undefined;
    }, "the stock to be released");

    shipping = await fill(buyer, shop.variantId, 1);
    const second = await ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      {
        address_id: buyer.addressId,
        shipping,
        payment_method: "credit_card",
      },
      201,
      { "idempotency-key": randomUUID() },
    );
    await ok(
      "POST",
      `/api/v1/payments/${second.payment.id}/simulate`,
      buyer.token,
      { outcome: "success" },
      202,
    );
    const orderId = second.orders[0].id as string;
    await orderUntil(buyer.token, orderId, "PAID");
    const c = await ok("POST", `/api/v1/orders/${orderId}/cancel`, buyer.token);
    assert.equal(c.status, "CANCELLED");
    const refunded = await paymentUntil(buyer.token, second.payment.id, "REFUNDED");
    assert.equal(refunded.refunded.amount, second.payment.amount.amount);
    // The paid (committed) unit is back in stock.
    const level = await stockUntil(shop.seller, shop.sku, 3);
    assert.deepEqual([level.on_hand, level.reserved, level.available], [3, 0, 3]);
  });

  test("a shop voucher and a platform voucher at checkout: discounted totals, used when paid, given back on cancel", async () => {
    const shop = await newShop(5, 100_000);
    const admin = await market.issuer.mint(`admin-${randomUUID()}`, {
      roles: ["admin"],
      scope: "openid admin",
    });
    const endsAt = new Date(Date.now() + 86_400_000).toISOString();
    const code = () => `V${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;
    const shopVoucher = await ok(
      "POST",
      "/api/v1/seller/vouchers",
      shop.seller.token,
      { code: code(), kind: "fixed", amount: 10_000, ends_at: endsAt },
      201,
      { "idempotency-key": randomUUID() },
    );
    // One use only: while a checkout holds it, nobody else can apply it.
    const platformVoucher = await ok(
      "POST",
      "/api/v1/admin/vouchers",
      admin,
      { code: code(), kind: "fixed", amount: 5_000, ends_at: endsAt, total_limit: 1 },
      201,
      { "idempotency-key": randomUUID() },
    );
    assert.equal(shopVoucher.scope, "shop");
    assert.equal(platformVoucher.scope, "platform");
    const codes = [shopVoucher.code as string, platformVoucher.code as string].sort() as [string, string];

    const buyer = await newBuyer();
    const shipping = await fill(buyer, shop.variantId, 1);
    const res = await ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      {
        address_id: buyer.addressId,
        shipping,
        payment_method: "bank_transfer_va",
        payment_channel: "bca",
        voucher_codes: codes,
      },
      201,
      { "idempotency-key": randomUUID() },
    );
    const [order] = res.orders;
    const t = order.totals;
    assert.equal(t.subtotal.amount, 100_000);
    assert.equal(t.discount.amount, 15_000, "10,000 off from the shop and 5,000 from the platform");
    assert.equal(
      t.total.amount,
      t.subtotal.amount - t.discount.amount + t.shipping.amount + t.service_fee.amount,
    );
    assert.equal(res.payment.amount.amount, t.total.amount);
    assert.deepEqual(await voucherUses(res.checkout_id), { [codes[0]]: "held", [codes[1]]: "held" });
    const other = await newBuyer();
    await fill(other, shop.variantId, 1);
    const taken = await call("POST", "/api/v1/cart/vouchers", other.token, { code: platformVoucher.code });
    assert.equal(taken.status, 422, taken.text);

    await ok("POST", `/api/v1/payments/${res.payment.id}/simulate`, buyer.token, { outcome: "success" }, 202);
    await orderUntil(buyer.token, order.id, "PAID");
    await waitForValue(
      async () => {
        const uses = await voucherUses(res.checkout_id);
        return uses[codes[0]] === "redeemed" && uses[codes[1]] === "redeemed" ? uses : undefined;
      },
      "both voucher uses to be redeemed",
      60_000,
    );
    const mine = await ok("GET", "/api/v1/seller/vouchers?limit=100", shop.seller.token);
    assert.equal(mine.items.find((v: Json) => v.code === shopVoucher.code).used, 1);

    const cancelled = await ok("POST", `/api/v1/orders/${order.id}/cancel`, buyer.token);
    assert.equal(cancelled.status, "CANCELLED");
    await waitForValue(
      async () => ((await voucherUses(res.checkout_id))[codes[1]] === undefined ? true : undefined),
      "the voucher uses to be given back",
      60_000,
    );
    assert.deepEqual(await voucherUses(res.checkout_id), {});
    const platform = await ok("GET", "/api/v1/admin/vouchers?limit=100", admin);
    assert.equal(platform.items.find((v: Json) => v.code === platformVoucher.code).used, 0);
    // Given back, the single-use platform voucher applies for the next buyer.
    const applied = await ok("POST", "/api/v1/cart/vouchers", other.token, { code: platformVoucher.code });
    assert.deepEqual(
      applied.vouchers.map((v: Json) => [v.code, v.discount.amount]),
      [[platformVoucher.code, 5_000]],
    );
    await paymentUntil(buyer.token, res.payment.id, "REFUNDED");
    await stockUntil(shop.seller, shop.sku, 5);
  });

  test("bad input is a 4xx and changes nothing; another buyer's order is 404", async () => {
    const shop = await newShop(2, 10_000);
    const buyer = await newBuyer();
    const shipping = await fill(buyer, shop.variantId, 1);
    const good = {
      address_id: buyer.addressId,
      shipping,
      payment_method: "bank_transfer_va",
      payment_channel: "bca",
    };
    const before = [await count("checkouts"), await count("orders")];
    const key = { "idempotency-key": randomUUID() };
    const cases: [string, unknown, Record<string, string>, number][] = [
      ["no Idempotency-Key", good, {}, 422],
      ["malformed JSON", "{", key, 400],
      ["unknown method", { ...good, payment_method: "cash" }, key, 422],
      ["VA without a bank", { ...good, payment_channel: undefined }, key, 422],
      ["unknown bank", { ...good, payment_channel: "hsbc" }, key, 422],
      ["extra field", { ...good, total: 1 }, key, 422],
      ["another user's address", { ...good, address_id: randomUUID() }, key, 422],
      [
        "a shop not in the cart",
        { ...good, shipping: [{ shop_id: "nope", option_id: "jne-reg" }] },
        key,
        422,
      ],
    ];
    for (const [what, body, headers, status] of cases) {
      const res = await call("POST", "/api/v1/checkout", buyer.token, body, headers);
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assert.match(res.text, /"code"/, what);
    }
    assert.deepEqual(
      [await count("checkouts"), await count("orders")],
      before.map((n, i) => (i === 0 ? n : n)),
    );
    assert.equal((await call("POST", "/api/v1/checkout", null, good, key)).status, 401);

    const placed = await ok("POST", "/api/v1/checkout", buyer.token, good, 201, {
      "idempotency-key": "reuse-me",
    });
    const reused = await call(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      { ...good, payment_channel: "bri" },
      { "idempotency-key": "reuse-me" },
    );
    assert.equal(reused.status, 422, reused.text);
    assert.equal(reused.body.code, "IDEMPOTENCY_KEY_REUSED");

    const stranger = await newBuyer();
    assert.equal((await call("GET", `/api/v1/orders/${placed.orders[0].id}`, stranger.token)).status, 404);
    assert.equal(
      (await call("POST", `/api/v1/orders/${placed.orders[0].id}/cancel`, stranger.token)).status,
      404,
    );
    // A buyer cannot act as the seller.
    assert.equal(
      (await call("POST", `/api/v1/seller/orders/${placed.orders[0].id}/accept`, buyer.token)).status,
      403,
    );
    // Shipping before payment is refused.
    const early = await call("POST", `/api/v1/seller/orders/${placed.orders[0].id}/ship`, shop.seller.token);
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.code, "INVALID_TRANSITION");
    const list = await ok("GET", "/api/v1/orders?status=AWAITING_PAYMENT", buyer.token);
    assert.deepEqual(
      list.items.map((o: Json) => o.id),
      [placed.orders[0].id],
    );
    assert.equal((await call("GET", "/api/v1/orders?status=LOST", buyer.token)).status, 422);
  });
});
