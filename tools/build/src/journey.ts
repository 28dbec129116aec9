import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { sampleAddress } from "@toko/testing";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field against API.md
type Json = Record<string, any>;

/** A cookie jar and manual redirects: what a browser does, so every hop goes through the origin. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar) headers.cookie = jar;
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: "manual",
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "")
        this.cookies.delete(pair.slice(0, eq).trim());
      else this.cookies.set(pair.slice(0, eq).trim(), value);
    }
    return res;
  }

  /** Follows redirects until one points at `stopAt` (returned) or a page is served. */
  async follow(url: string, stopAt: string): Promise<{ url: string; response?: Response }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      if (current.startsWith(stopAt)) return { url: current };
      const response = await this.fetch(current);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.arrayBuffer();
      current = new URL(location, current).href;
    }
    throw new Error("too many redirects");
  }
}

const b64url = (b: Buffer) => b.toString("base64url");
const unescapeAmp = (v: string | undefined) => v?.replaceAll("&amp;", "&") ?? "";

export interface JourneyOptions {
  /** The public origin (the load balancer). */
  origin: string;
  /** The secret the payment provider signs its notifications with (PAYMENT_WEBHOOK_SECRET). */
  paymentWebhookSecret: string;
  log?: (line: string) => void;
  /** How long eventual steps (search indexing, payment → order) may take. */
  eventualMs?: number;
}

export interface JourneyResult {
  orderId: string;
  paymentId: string;
  awb: string;
  steps: number;
}

/**
 * The buyer's journey through the public API only: a seller and a buyer sign up and sign in with
 * the OAuth code flow (PKCE) of the seeded web client, the seller opens a shop and stocks a
 * product, the buyer finds it (catalog and search), fills the cart, checks out, the payment
 * provider confirms the payment with a signed webhook (the production path: no sandbox
 * simulation), and the seller accepts and ships.
 */
export async function buyerJourney(options: JourneyOptions): Promise<JourneyResult> {
  const { origin } = options;
  const log = options.log ?? (() => {});
  const eventualMs = options.eventualMs ?? 120_000;
  let steps = 0;

  async function call(method: string, path: string, token: string | null, body?: unknown, headers = {}) {
    steps++;
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith("{") ? JSON.parse(text) : {}) as Json, text };
  }
  async function ok(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    status = 200,
    headers = {},
  ) {
    const res = await call(method, path, token, body, headers);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    return res.body;
  }
  async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + eventualMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const discovery = await ok("GET", "/oauth2/.well-known/openid-configuration", null);
  assert.equal(discovery.issuer, `${origin}/oauth2`);
  const redirectUri = `${origin}/callback`;

  async function signUp(kind: string) {
    const email = `${kind}-${randomUUID()}@toko.test`;
    const password = `Kopi-Gayo-${randomBytes(6).toString("hex")}!`;
    const created = await ok(
      "POST",
      "/api/v1/users",
      null,
      { email, password, name: kind, phone: "+6281234567890" },
      201,
    );
    assert.equal(created.email, email);
    return { email, password };
  }

  /** The code flow with PKCE S256 through the origin; returns the access token. */
  async function signIn(user: { email: string; password: string }, scope: string): Promise<string> {
    const browser = new Browser();
    const verifier = b64url(randomBytes(32));
    const state = b64url(randomBytes(16));
    const url = new URL(discovery.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: "toko-web",
      response_type: "code",
      redirect_uri: redirectUri,
      scope,
      state,
      nonce: b64url(randomBytes(16)),
      code_challenge: b64url(createHash("sha256").update(verifier).digest()),
      code_challenge_method: "S256",
    }).toString();
    const page = await browser.follow(url.href, redirectUri);
    const html = (await page.response?.text()) ?? "";
    assert.equal(page.response?.status, 200, `login page: ${html.slice(0, 300)}`);
    const action = new URL(unescapeAmp(/<form[^>]*action="([^"]+)"/.exec(html)?.[1]), page.url).href;
    const csrf = unescapeAmp(/<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html)?.[1]);
    const posted = await browser.fetch(action, { csrf, email: user.email, password: user.password });
    const location = posted.headers.get("location");
    assert.equal(posted.status, 303, `login: ${await posted.text()}`);
    assert.ok(location);
    const done = await browser.follow(new URL(location, action).href, redirectUri);
    const back = new URL(done.url);
    assert.equal(back.searchParams.get("state"), state);
    const code = back.searchParams.get("code");
    assert.ok(code, done.url);
    const token = await fetch(discovery.token_endpoint as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id: "toko-web",
        code_verifier: verifier,
      }).toString(),
    });
    const tokens = (await token.json()) as Json;
    assert.equal(token.status, 200, JSON.stringify(tokens));
    assert.ok(tokens.access_token && tokens.id_token && tokens.refresh_token);
    steps += 4;
    return tokens.access_token as string;
  }

  // The seller: sign up, sign in, open a shop (gaining the seller role), sign in again as seller.
  const sellerAccount = await signUp("seller");
  let seller = await signIn(sellerAccount, "openid email offline_access buyer");
  const slug = `kopi-${randomUUID().slice(0, 8)}`;
  const shop = await ok(
    "POST",
    "/api/v1/shops",
    seller,
    { name: "Kopi Gayo", slug, city: "Bandung", province: "Jawa Barat" },
    201,
  );
  seller = await signIn(sellerAccount, "openid email offline_access buyer seller");
  const categories = await ok("GET", "/api/v1/categories", null);
  let leaf = categories.items[0];
  while (leaf.children.length > 0) leaf = leaf.children[0];
  const sku = `KOPI-${randomUUID().slice(0, 6)}`;
  const title = `Kopi Gayo ${randomBytes(3).toString("hex")}`;
  const product = await ok(
    "POST",
    "/api/v1/products",
    seller,
    {
      title,
      description: "Arabika dari dataran tinggi Gayo",
      category_id: leaf.id,
      condition: "new",
      weight_grams: 300,
      variants: [{ sku, options: { Giling: "Biji" }, price: 85_000 }],
    },
    201,
  );
  const warehouse = await ok(
    "POST",
    "/api/v1/seller/warehouses",
    seller,
    { name: "Gudang", address: "Jl. Braga 1", city: "Bandung", province: "Jawa Barat", is_default: true },
    201,
  );
  await ok(
    "POST",
    "/api/v1/seller/stock/adjustments",
    seller,
    { sku, warehouse_id: warehouse.id, delta: 5, reason: "stock count" },
    201,
  );
  log(`seller ${sellerAccount.email}: shop ${shop.id}, product ${product.id}`);

  // The buyer browses: the shop's page and catalog, the product, and search once it is indexed.
  const buyerAccount = await signUp("buyer");
  const buyer = await signIn(buyerAccount, "openid email offline_access buyer");
  await ok("GET", `/api/v1/shops/${slug}`, null);
  const listed = await ok("GET", `/api/v1/products?shop=${shop.id}`, null);
  assert.deepEqual(
    listed.items.map((p: Json) => p.id),
    [product.id],
  );
  const detail = await ok("GET", `/api/v1/products/${product.id}`, buyer);
  const variantId = detail.variants[0].id as string;
  await eventually("the product in search", async () => {
    const found = await ok("GET", `/api/v1/search?q=${encodeURIComponent(title)}`, null);
    return found.items.some((i: Json) => i.id === product.id) ? true : undefined;
  });

  // Cart and checkout.
  const address = await ok("POST", "/api/v1/me/addresses", buyer, sampleAddress(), 201);
  const added = await call("POST", "/api/v1/cart/items", buyer, { variant_id: variantId, quantity: 2 });
  assert.ok(added.status === 200 || added.status === 201, added.text);
  const cart = await ok("GET", "/api/v1/cart", buyer);
  assert.equal(cart.shops[0].lines[0].quantity, 2);
  const options2 = await ok("GET", `/api/v1/cart/shipping-options?address_id=${address.id}`, buyer);
  const shipping = options2.items.map((s: Json) => ({ shop_id: s.shop_id, option_id: s.options[0].id }));
  const body = {
    address_id: address.id,
    shipping,
    payment_method: "bank_transfer_va",
    payment_channel: "bni",
  };
  const key = randomUUID();
  const checkout = await ok("POST", "/api/v1/checkout", buyer, body, 201, { "idempotency-key": key });
  // A retry with the same key — likely answered by the other gateway — is the same checkout.
  const again = await ok("POST", "/api/v1/checkout", buyer, body, 201, { "idempotency-key": key });
  assert.equal(again.checkout_id, checkout.checkout_id);
  const [order] = checkout.orders as Json[];
  assert.ok(order);
  assert.equal(order.status, "AWAITING_PAYMENT");
  const payment = checkout.payment as Json;
  log(`buyer ${buyerAccount.email}: order ${order.id}, payment ${payment.id}`);

  // The provider's signed notification: what a real payment gateway sends in production.
  const notification = Buffer.from(
    JSON.stringify({
      id: `evt_${randomUUID()}`,
      payment_id: payment.id,
      event: "payment.succeeded",
      amount: payment.amount.amount,
      currency: "IDR",
    }),
  );
  const unsigned = await call("POST", "/api/v1/payments/webhooks/sandbox", null, notification.toString());
  assert.equal(unsigned.status, 401, unsigned.text);
  const timestamp = Math.floor(Date.now() / 1000);
  const mac = createHmac("sha256", options.paymentWebhookSecret)
    .update(`${timestamp}.`)
    .update(notification)
    .digest("hex");
  const signed = await call("POST", "/api/v1/payments/webhooks/sandbox", null, notification.toString(), {
    "x-sandbox-timestamp": String(timestamp),
    "x-sandbox-signature": `v1=${mac}`,
  });
  assert.ok(signed.status >= 200 && signed.status < 300, `webhook: ${signed.status} ${signed.text}`);

  await eventually("the order to be PAID", async () => {
    const o = await ok("GET", `/api/v1/orders/${order.id}`, buyer);
    return o.status === "PAID" ? o : undefined;
  });
  const paid = await ok("GET", `/api/v1/payments/${payment.id}`, buyer);
  assert.equal(paid.status, "SUCCEEDED");

  // The seller accepts and ships.
  await eventually("the order in the seller's PAID list", async () => {
    const l = await ok("GET", "/api/v1/seller/orders?status=PAID", seller);
    return l.items.some((o: Json) => o.id === order.id) ? true : undefined;
  });
  await ok("POST", `/api/v1/seller/orders/${order.id}/accept`, seller, {});
  const shipped = await ok("POST", `/api/v1/seller/orders/${order.id}/ship`, seller, {});
  assert.ok(shipped.awb && shipped.carrier && shipped.shipment_id, JSON.stringify(shipped));
  const final = await eventually("the order to be SHIPPED", async () => {
    const o = await ok("GET", `/api/v1/orders/${order.id}`, buyer);
    return o.status === "SHIPPED" ? o : undefined;
  });
  assert.equal(final.id, order.id);
  const stock = await ok("GET", `/api/v1/seller/stock?sku=${sku}`, seller);
  assert.equal(stock.items[0].on_hand, 3);
  return { orderId: order.id, paymentId: payment.id, awb: shipped.awb, steps };
}
