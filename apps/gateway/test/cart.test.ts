import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import { OrderPaid } from "@toko/contracts/toko/order/v1/events";
import { createClient, createEnvelope, createPostgresBus, type EventBus, protoEvent } from "@toko/kit";
import {
  countRows,
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitFor,
} from "@toko/testing";
import { cartModule } from "../src/routes/cart/index.ts";
import { catalogModule } from "../src/routes/catalog/index.ts";
import { inventoryModule } from "../src/routes/inventory/index.ts";
import { shippingModule } from "../src/routes/shipping/index.ts";
import { usersModule } from "../src/routes/users/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// The cart through the real gateway over HTTP, to the real cart process, which projects the real
// product and inventory processes' events from a shared PostgreSQL bus and asks the real user
// service for addresses. Shipping quotes come from the real shipping service.
const services = join(import.meta.dirname, "..", "..", "..", "services");
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let procs: ServiceProcess[] = [];
let cartDb: TestDatabase;
let bus: EventBus;
let cartGrpc: ReturnType<typeof createClient<CartServiceClient>>;
let gateway: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all(Array.from({ length: 6 }, () => createTestDatabase()));
  const [productDb, inventoryDb, userDb, cDb, busDb, shippingDb] = dbs as [
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
  ];
  cartDb = cDb;
  const shared = { TOKO_INTERNAL_SECRET: INTERNAL_SECRET, BUS_DATABASE_URL: busDb.url };
  const shipping = await startServiceProcess(join(services, "shipping"), {
    ...shared,
    DATABASE_URL: shippingDb.url,
    SHIPPING_WEBHOOK_SECRETS: "jne=cart-test-webhook-secret",
    SHIPPING_SIMULATOR: "false",
  });
  const user = await startServiceProcess(join(services, "user"), {
    ...shared,
    DATABASE_URL: userDb.url,
    TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
  });
  const product = await startServiceProcess(join(services, "product"), {
    ...shared,
    DATABASE_URL: productDb.url,
    TOKO_USER_ADDR: user.grpcAddress,
  });
  const inventory = await startServiceProcess(join(services, "inventory"), {
    ...shared,
    DATABASE_URL: inventoryDb.url,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    STOCK_EVENT_WINDOW_MS: "50",
  });
  const cart = await startServiceProcess(join(services, "cart"), {
    ...shared,
    DATABASE_URL: cartDb.url,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_INVENTORY_ADDR: inventory.grpcAddress,
    TOKO_USER_ADDR: user.grpcAddress,
    TOKO_SHIPPING_ADDR: shipping.grpcAddress,
    CART_MAX_LINE_QUANTITY: "20",
  });
  procs = [cart, inventory, product, user, shipping];
  bus = await createPostgresBus({ url: busDb.url });
  cartGrpc = createClient(CartServiceClient, cart.grpcAddress, { internalSecret: INTERNAL_SECRET });
  gateway = await startGateway(
    issuer,
    {
      TOKO_USER_ADDR: user.grpcAddress,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      TOKO_INVENTORY_ADDR: inventory.grpcAddress,
      TOKO_CART_ADDR: cart.grpcAddress,
      TOKO_SHIPPING_ADDR: shipping.grpcAddress,
    },
    { modules: [usersModule, catalogModule, inventoryModule, cartModule, shippingModule] },
  );
});
after(async () => {
  cartGrpc?.close();
  await gateway?.close();
  await bus?.close();
  for (const p of procs) assert.equal(await p.stop(), 0, p.logs());
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

// Bodies are JSON read by the assertions; the routes' schemas are checked by the OpenAPI contract test.
type Reply = { status: number; type: string; headers: Headers; body: ReturnType<typeof JSON.parse> };

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined || options.raw !== undefined
        ? { "content-type": "application/json" }
        : {}),
      ...options.headers,
    },
    body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    headers: res.headers,
    body: text ? JSON.parse(text) : null,
  };
}

function ok(reply: Reply, status = 200): ReturnType<typeof JSON.parse> {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  return reply.body;
}

/** Asserts a problem+json answer with this status and code (and the field named, when given). */
function problem(reply: Reply, status: number, code: string, field?: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.type, /application\/problem\+json/);
  assert.equal(reply.body.code, code, JSON.stringify(reply.body));
  if (field)
    assert.ok(
      reply.body.errors?.some((e: { field: string }) => e.field === field),
      JSON.stringify(reply.body),
    );
}

const buyerToken = () => issuer.mint(`user-${randomUUID()}`);
const adminToken = () => issuer.mint(`admin-${randomUUID()}`, { roles: ["admin"], scope: "openid admin" });

/** A seller with a shop in `city` and an active product whose variants cost `prices`. */
/** A seller's shop with one product of `prices` variants, each SKU with `stock` units on hand. */
async function seller(city: string, prices: number[], province = "Jawa Barat", stock = 100) {
  const sub = `seller-${randomUUID()}`;
  const token = await issuer.mint(sub, { roles: ["buyer", "seller"], scope: "openid buyer seller" });
  const slug = `toko-${randomUUID().slice(0, 8)}`;
  const shop = ok(
    await call("POST", "/api/v1/shops", {
      token,
      body: { name: `Toko ${slug}`, slug, city, province },
    }),
    201,
  );
  const categories = ok(await call("GET", "/api/v1/categories"));
  let leaf = categories.items[0];
  while (leaf.children.length > 0) leaf = leaf.children[0];
  const product = ok(
    await call("POST", "/api/v1/products", {
      token,
      body: {
        title: `Kopi ${slug}`,
        description: "Biji kopi sangrai",
        category_id: leaf.id,
        condition: "new",
        weight_grams: 250,
        length_cm: 10,
        width_cm: 8,
        height_cm: 4,
        variants: prices.map((price, i) => ({ sku: `${slug}-${i}`, options: { Gilingan: `G${i}` }, price })),
      },
    }),
    201,
  );
  const skus = product.variants.map((v: { sku: string }) => v.sku) as string[];
  const warehouse = ok(
    await call("POST", "/api/v1/seller/warehouses", {
      token,
      body: { name: "Utama", address: "Jl. Braga 1", city, province },
    }),
    201,
  );
  for (const sku of skus)
    ok(
      await call("POST", "/api/v1/seller/stock/adjustments", {
        token,
        body: { sku, warehouse_id: warehouse.id, delta: stock, reason: "stok awal" },
      }),
      201,
    );
  return {
    token,
    shop,
    product,
    warehouse: warehouse.id as string,
    variants: product.variants.map((v: { id: string }) => v.id) as string[],
    skus,
  };
}

const add = (
  variant_id: string,
  quantity: number,
  options: { token?: string; headers?: Record<string, string> } = {},
) => call("POST", "/api/v1/cart/items", { ...options, body: { variant_id, quantity } });
const lineOf = (cart: { shops: { lines: { variant_id: string }[] }[] }, id: string) =>
  cart.shops.flatMap((s) => s.lines).find((l) => l.variant_id === id) as Record<string, unknown> | undefined;

/** A voucher request body (valid for a day, no limits). */
const voucherBody = (over: Record<string, unknown> = {}) => ({
  code: `V${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`,
  kind: "fixed",
  amount: 10_000,
  ends_at: new Date(Date.now() + 86_400_000).toISOString(),
  ...over,
});

describe("the cart through the gateway", () => {
  it("groups lines per shop in API.md's shape, with live prices and totals", async () => {
    const a = await seller("Bandung", [85_000, 87_000]);
    const b = await seller("Surabaya", [12_000]);
    const token = await buyerToken();
    ok(await add(a.variants[0] ?? "", 2, { token }));
    ok(await add(b.variants[0] ?? "", 1, { token }));
    const cart = ok(await add(a.variants[1] ?? "", 1, { token }));
    assert.deepEqual(Object.keys(cart).sort(), ["shops", "totals", "vouchers"]);
    assert.deepEqual(
      cart.shops.map(
        (s: { shop: { id: string; city: string }; lines: unknown[]; subtotal: { amount: number } }) => [
          s.shop.id,
          s.shop.city,
          s.lines.length,
          s.subtotal.amount,
        ],
      ),
      [
        [a.shop.id, "Bandung", 2, 257_000],
        [b.shop.id, "Surabaya", 1, 12_000],
      ],
    );
    const line = lineOf(cart, a.variants[0] ?? "");
    for (const key of [
      "variant_id",
      "product_id",
      "sku",
      "title",
      "options",
      "image_url",
      "quantity",
      "unit_price",
      "line_total",
      "stock_status",
      "problems",
    ])
      assert.ok(line && key in line, `line has ${key}`);
    assert.deepEqual(line?.options, { Gilingan: "G0" });
    assert.deepEqual(line?.unit_price, { amount: 85_000, currency: "IDR" });
    assert.deepEqual(line?.line_total, { amount: 170_000, currency: "IDR" });
    assert.deepEqual(cart.totals, {
      subtotal: { amount: 269_000, currency: "IDR" },
      discount: { amount: 0, currency: "IDR" },
      shipping: { amount: 0, currency: "IDR" },
      service_fee: { amount: 1_000, currency: "IDR" },
      grand_total: { amount: 270_000, currency: "IDR" },
    });
    assert.deepEqual(ok(await call("GET", "/api/v1/cart", { token })), cart);
    const edited = ok(
      await call("PATCH", `/api/v1/cart/items/${a.variants[0]}`, { token, body: { quantity: 5 } }),
    );
    assert.equal(lineOf(edited, a.variants[0] ?? "")?.quantity, 5);
    const removed = ok(await call("DELETE", `/api/v1/cart/items/${b.variants[0]}`, { token }));
    assert.deepEqual(
      removed.shops.map((s: { shop: { id: string } }) => s.shop.id),
      [a.shop.id],
    );
  });

  it("reflects a price change (PriceChanged) and stock from inventory (StockChanged)", async () => {
    const a = await seller("Bandung", [50_000], "Jawa Barat", 5);
    const token = await buyerToken();
    const v = a.variants[0] ?? "";
    ok(await add(v, 3, { token }));
    ok(
      await call("PATCH", `/api/v1/products/${a.product.id}`, {
        token: a.token,
        body: { variants: [{ sku: a.skus[0], options: { Gilingan: "G0" }, price: 47_500 }] },
      }),
    );
    const priceOf = async () =>
      (
        lineOf(ok(await call("GET", "/api/v1/cart", { token })), v)?.unit_price as
          | { amount: number }
          | undefined
      )?.amount;
    await waitFor(async () => (await priceOf()) === 47_500, "the new price in the cart");
    const repriced = ok(await call("GET", "/api/v1/cart", { token }));
    assert.deepEqual(lineOf(repriced, v)?.problems, ["PRICE_CHANGED"]);
    assert.equal(repriced.totals.subtotal.amount, 142_500);

    // 5 on hand → 2: fewer than the line's 3.
    ok(
      await call("POST", "/api/v1/seller/stock/adjustments", {
        token: a.token,
        body: { sku: a.skus[0], warehouse_id: a.warehouse, delta: -3, reason: "rusak" },
      }),
      201,
    );
    await waitFor(async () => {
      const l = lineOf(ok(await call("GET", "/api/v1/cart", { token })), v);
      return Array.isArray(l?.problems) && (l.problems as string[]).includes("ABOVE_STOCK");
    }, "the stock in the cart");
    problem(await add(v, 1, { token }), 422, "VALIDATION_FAILED", "quantity");
  });

  it("gives a guest a cart by token and cookie, then merges it at sign-in", async () => {
    const a = await seller("Bandung", [20_000, 30_000]);
    const [v0, v1] = a.variants as [string, string];
    const first = await add(v0, 15);
    const created = ok(first);
    const token = created.cart_token as string;
    assert.match(token, /^ct_/);
    const cookie = first.headers.get("set-cookie") ?? "";
    assert.match(cookie, new RegExp(`^toko_cart=${token};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    ok(await add(v1, 1, { headers: { "x-cart-token": token } }));
    const viaCookie = ok(
      await call("GET", "/api/v1/cart", { headers: { cookie: `theme=dark; toko_cart=${token}` } }),
    );
    assert.equal(viaCookie.shops[0].lines.length, 2);
    assert.equal(viaCookie.cart_token, undefined);
    problem(
      await call("GET", "/api/v1/cart", { headers: { "x-cart-token": `ct_${"x".repeat(43)}` } }),
      404,
      "NOT_FOUND",
    );
    problem(await add(v0, 1, { headers: { "x-cart-token": "forged-token" } }), 404, "NOT_FOUND");
    assert.deepEqual(ok(await call("GET", "/api/v1/cart")).shops, [], "no token: an empty cart");

    const user = await buyerToken();
    ok(await add(v0, 10, { token: user }));
    problem(
      await call("POST", "/api/v1/cart/merge", { body: { cart_token: token } }),
      401,
      "UNAUTHENTICATED",
    );
    problem(
      await call("POST", "/api/v1/cart/merge", { token: user, body: { cart_token: `ct_${"y".repeat(43)}` } }),
      404,
      "NOT_FOUND",
    );
    const mergedReply = await call("POST", "/api/v1/cart/merge", {
      token: user,
      body: { cart_token: token },
    });
    const merged = ok(mergedReply);
    assert.match(mergedReply.headers.get("set-cookie") ?? "", /^toko_cart=; .*Max-Age=0/);
    assert.equal(lineOf(merged, v0)?.quantity, 20, "10 + 15 capped at the line maximum");
    assert.equal(lineOf(merged, v1)?.quantity, 1);
    problem(await call("GET", "/api/v1/cart", { headers: { "x-cart-token": token } }), 404, "NOT_FOUND");
    // A signed-in caller's cart is their own, whatever token rides along.
    const other = await buyerToken();
    assert.deepEqual(
      ok(await call("GET", "/api/v1/cart", { token: other, headers: { "x-cart-token": token } })).shops,
      [],
    );
  });

  it("answers every bad input with a 4xx and changes nothing", async () => {
    const a = await seller("Bandung", [20_000]);
    const v = a.variants[0] ?? "";
    const token = await buyerToken();
    ok(await add(v, 2, { token }));
    const lines = await countRows(cartDb.pool, "cart_lines");
    const carts = await countRows(cartDb.pool, "carts");
    for (const quantity of [0, -1, 1.5, 21])
      problem(await add(v, quantity, { token }), 422, "VALIDATION_FAILED", "quantity");
    problem(await add(v, 19, { token }), 422, "VALIDATION_FAILED", "quantity"); // 2 + 19 > 20
    problem(await add(v, 0), 422, "VALIDATION_FAILED", "quantity");
    problem(await add("no-such-variant", 1, { token }), 404, "NOT_FOUND");
    problem(await add("no-such-variant", 1), 404, "NOT_FOUND");
    problem(
      await call("POST", "/api/v1/cart/items", { token, body: { variant_id: v } }),
      422,
      "VALIDATION_FAILED",
      "quantity",
    );
    problem(await call("POST", "/api/v1/cart/items", { token, raw: "{not json" }), 400, "MALFORMED_JSON");
    problem(
      await call("PATCH", `/api/v1/cart/items/${v}`, { token, body: { quantity: 0 } }),
      422,
      "VALIDATION_FAILED",
      "quantity",
    );
    problem(
      await call("PATCH", "/api/v1/cart/items/not-in-cart", { token, body: { quantity: 1 } }),
      404,
      "NOT_FOUND",
    );
    problem(await call("DELETE", "/api/v1/cart/items/not-in-cart", { token }), 404, "NOT_FOUND");
    problem(await call("DELETE", `/api/v1/cart/vouchers/NOT-APPLIED`, { token }), 404, "NOT_FOUND");
    problem(
      await call("GET", "/api/v1/cart/shipping-options", { token }),
      422,
      "VALIDATION_FAILED",
      "querystring.address_id",
    );
    problem(await call("POST", "/api/v1/cart/vouchers", { body: { code: "X" } }), 401, "UNAUTHENTICATED");
    // A token granted without the buyer scope is refused, not served as a guest.
    const noBuyerScope = await issuer.mint(`user-${randomUUID()}`, { roles: ["buyer"], scope: "openid" });
    problem(await call("GET", "/api/v1/cart", { token: noBuyerScope }), 403, "FORBIDDEN");
    problem(await add(v, 1, { token: noBuyerScope }), 403, "FORBIDDEN");
    problem(await call("DELETE", `/api/v1/cart/items/${v}`, { token: noBuyerScope }), 403, "FORBIDDEN");
    assert.equal(await countRows(cartDb.pool, "cart_lines"), lines);
    assert.equal(await countRows(cartDb.pool, "carts"), carts);
    assert.equal(lineOf(ok(await call("GET", "/api/v1/cart", { token })), v)?.quantity, 2);
  });

  it("manages vouchers: admins the platform's, sellers their shop's", async () => {
    const a = await seller("Bandung", [20_000]);
    const admin = await adminToken();
    const created = ok(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({
          code: "gajian25",
          kind: "percent",
          percent_off: 25,
          max_discount: 50_000,
          amount: undefined,
          total_limit: 100,
        }),
      }),
      201,
    );
    assert.equal(created.code, "GAJIAN25");
    assert.equal(created.scope, "platform");
    assert.deepEqual(created.max_discount, { amount: 50_000, currency: "IDR" });
    problem(
      await call("POST", "/api/v1/admin/vouchers", { token: admin, body: voucherBody({ code: "GAJIAN25" }) }),
      409,
      "VOUCHER_CODE_TAKEN",
    );
    problem(
      await call("POST", "/api/v1/admin/vouchers", { token: await buyerToken(), body: voucherBody() }),
      403,
      "FORBIDDEN",
    );
    problem(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({ kind: "percent", amount: undefined }),
      }),
      422,
      "VALIDATION_FAILED",
      "percent_off",
    );
    problem(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({ ends_at: "2020-01-01T00:00:00Z", starts_at: "2021-01-01T00:00:00Z" }),
      }),
      422,
      "VALIDATION_FAILED",
      "ends_at",
    );
    const retried = { token: a.token, body: voucherBody(), headers: { "idempotency-key": randomUUID() } };
    const shopVoucher = ok(await call("POST", "/api/v1/seller/vouchers", retried), 201);
    assert.equal(shopVoucher.shop_id, a.shop.id);
    // The same create retried with its Idempotency-Key answers the same voucher again.
    assert.deepEqual(ok(await call("POST", "/api/v1/seller/vouchers", retried), 201), shopVoucher);
    problem(
      await call("POST", "/api/v1/seller/vouchers", {
        token: a.token,
        body: voucherBody({ kind: "free_shipping" }),
      }),
      422,
      "VALIDATION_FAILED",
      "kind",
    );
    const listed = ok(await call("GET", "/api/v1/seller/vouchers?limit=10", { token: a.token }));
    assert.deepEqual(
      listed.items.map((v: { id: string }) => v.id),
      [shopVoucher.id],
    );
    assert.equal(listed.next_cursor, null);
    const platform = ok(await call("GET", "/api/v1/admin/vouchers?limit=100", { token: admin }));
    assert.ok(platform.items.some((v: { code: string }) => v.code === "GAJIAN25"));
  });

  it("applies vouchers at their boundaries: minimum spend, expiry, usage limit under concurrent checkouts", async () => {
    const a = await seller("Bandung", [50_000]);
    const v = a.variants[0] ?? "";
    const admin = await adminToken();
    const token = await buyerToken();
    ok(await add(v, 2, { token }));
    const exact = ok(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({ min_spend: 100_000 }),
      }),
      201,
    );
    const above = ok(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({ min_spend: 100_001 }),
      }),
      201,
    );
    problem(
      await call("POST", "/api/v1/cart/vouchers", { token, body: { code: above.code } }),
      422,
      "VOUCHER_MIN_SPEND",
      "code",
    );
    assert.equal(await countRows(cartDb.pool, "cart_vouchers"), 0);
    const applied = ok(await call("POST", "/api/v1/cart/vouchers", { token, body: { code: exact.code } }));
    assert.deepEqual(applied.vouchers, [
      { code: exact.code, discount: { amount: 10_000, currency: "IDR" }, problem: null },
    ]);
    assert.equal(applied.totals.grand_total.amount, 91_000);
    problem(
      await call("POST", "/api/v1/cart/vouchers", { token, body: { code: "NO-SUCH-CODE" } }),
      422,
      "VOUCHER_NOT_FOUND",
    );
    ok(await call("DELETE", `/api/v1/cart/vouchers/${exact.code}`, { token }));

    // The expiry second: applies while now < ends_at, refused from it.
    const endsAt = new Date(Math.ceil((Date.now() + 2_500) / 1000) * 1000);
    const expiring = ok(
      await call("POST", "/api/v1/admin/vouchers", {
        token: admin,
        body: voucherBody({ kind: "free_shipping", ends_at: endsAt.toISOString() }),
      }),
      201,
    );
    const early = await buyerToken();
    ok(await add(v, 1, { token: early }));
    ok(await call("POST", "/api/v1/cart/vouchers", { token: early, body: { code: expiring.code } }));
    await new Promise((r) => setTimeout(r, Math.max(0, endsAt.getTime() - Date.now())));
    problem(
      await call("POST", "/api/v1/cart/vouchers", { token, body: { code: expiring.code } }),
      422,
      "VOUCHER_EXPIRED",
    );
    const stale = ok(await call("GET", "/api/v1/cart", { token: early }));
    assert.equal(stale.vouchers[0].problem, "VOUCHER_EXPIRED");

    // The usage limit under concurrent checkouts (the order service's ReserveVouchers), then paid.
    const limited = ok(
      await call("POST", "/api/v1/admin/vouchers", { token: admin, body: voucherBody({ total_limit: 2 }) }),
      201,
    );
    const buyers = await Promise.all(Array.from({ length: 6 }, () => buyerToken()));
    for (const t of buyers) {
      ok(await add(v, 2, { token: t }));
      ok(await call("POST", "/api/v1/cart/vouchers", { token: t, body: { code: limited.code } }));
    }
    const subjects = await Promise.all(
      buyers.map(
        async (t) => JSON.parse(Buffer.from(t.split(".")[1] ?? "", "base64url").toString()).sub as string,
      ),
    );
    const results = await Promise.allSettled(
      subjects.map((sub, i) =>
        cartGrpc.reserveVouchers(
          {
            checkoutId: `co-${limited.code}-${i}`,
            pricing: undefined,
            expiresAt: new Date(Date.now() + 600_000),
          },
          { principal: { subject: sub, roles: ["buyer"], scopes: ["buyer"] } },
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 2);
    for (const [i, r] of results.entries()) {
      if (r.status !== "fulfilled") continue;
      const paid = OrderPaid.fromPartial({
        orderId: `order-${i}`,
        checkoutId: `co-${limited.code}-${i}`,
        buyerId: subjects[i],
        shopId: a.shop.id,
        lines: [{ lineId: "1", variantId: v, quantity: 2 }],
        voucherCodes: [limited.code],
      });
      const envelope = createEnvelope(
        "order",
        protoEvent("toko.order.v1.OrderPaid", `order-${i}`, OrderPaid, paid),
      );
      await bus.publish([envelope]);
      await waitFor(
        async () => (await countRows(cartDb.pool, "kit_inbox", { event_id: envelope.id })) === 1,
        "OrderPaid handled",
      );
      assert.deepEqual(
        ok(await call("GET", "/api/v1/cart", { token: buyers[i] })).shops,
        [],
        "paid lines left the cart",
      );
    }
    const late = await buyerToken();
    ok(await add(v, 2, { token: late }));
    problem(
      await call("POST", "/api/v1/cart/vouchers", { token: late, body: { code: limited.code } }),
      422,
      "VOUCHER_USED_UP",
    );
  });

  it("quotes shipping per shop to the caller's own address", async () => {
    const a = await seller("Bandung", [50_000]);
    const b = await seller("Surabaya", [20_000], "Jawa Timur");
    const reg = async (email: string) => {
      const user = ok(
        await call("POST", "/api/v1/users", {
          body: { email, password: "Bakso-Malang-Urat-9", name: "Tester" },
        }),
        201,
      );
      return issuer.mint(String(user.id));
    };
    const token = await reg(`cart-${randomUUID()}@example.com`);
    const other = await reg(`cart-${randomUUID()}@example.com`);
    const address = ok(
      await call("POST", "/api/v1/me/addresses", {
        token,
        body: {
          label: "Rumah",
          recipient: "Siti",
          phone: "0812-3456-7890",
          street: "Jl. Kenanga No. 1",
          district: "Coblong",
          city: "Bandung",
          province: "Jawa Barat",
          postal_code: "40132",
        },
      }),
      201,
    );
    ok(await add(a.variants[0] ?? "", 2, { token }));
    ok(await add(b.variants[0] ?? "", 1, { token }));
    const options = ok(
      await call("GET", `/api/v1/cart/shipping-options?address_id=${address.id}`, { token }),
    );
    type Option = {
      id: string;
      carrier: string;
      price: { amount: number };
      etd_days: { min: number; max: number };
    };
    const byShop = new Map<string, Option[]>(
      options.items.map((i: { shop_id: string; options: Option[] }) => [i.shop_id, i.options]),
    );
    assert.deepEqual([...byShop.keys()].sort(), [a.shop.id, b.shop.id].sort());
    // Each shop's options are exactly what the public rates answer for that shop's parcel
    // (2 × 250 g and 1 × 250 g, 10×8×4 cm each) from its city to the address.
    const rates = async (origin: string, grams: number) =>
      ok(
        await call(
          "GET",
          `/api/v1/shipping/rates?origin_city=${origin}&destination_city=Bandung&weight_grams=${grams}&length_cm=10&width_cm=8&height_cm=${grams === 500 ? 8 : 4}`,
        ),
      ).items as Option[];
    const view = (list: Option[]) => list.map((o) => [o.id, o.price.amount, o.etd_days.min, o.etd_days.max]);
    assert.deepEqual(view(byShop.get(a.shop.id) ?? []), view(await rates("Bandung", 500)));
    assert.deepEqual(view(byShop.get(b.shop.id) ?? []), view(await rates("Surabaya", 250)));
    // Instant couriers serve only within one city: Bandung → Bandung has them, Surabaya → Bandung not.
    assert.ok((byShop.get(a.shop.id) ?? []).some((o) => o.id.startsWith("gosend")));
    assert.ok(!(byShop.get(b.shop.id) ?? []).some((o) => o.id.startsWith("gosend")));
    for (const o of [...byShop.values()].flat()) {
      assert.ok(Number.isInteger(o.price.amount) && o.price.amount > 0, o.id);
      assert.ok(o.etd_days.min <= o.etd_days.max, o.id);
    }
    ok(await add(a.variants[0] ?? "", 1, { token: other }));
    problem(
      await call("GET", `/api/v1/cart/shipping-options?address_id=${address.id}`, { token: other }),
      404,
      "NOT_FOUND",
    );
  });
});
