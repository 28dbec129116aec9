import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Api, type Json, signIn } from "./client.ts";
import type { Action } from "./mix.ts";

/** What every virtual user shares: products seen so far and the demo seller's session. */
export interface Catalog {
  /** Product ids with their variant ids (filled from listings as users browse). */
  products: { id: string; shopId: string; variants: string[] }[];
  /** Variant ids of the demo seller's shop, so seller actions find orders to handle. */
  sellerVariants: string[];
  sellerSkus: string[];
  sellerWarehouse: string;
  searchWords: string[];
  categories: string[];
}

export interface Seller {
  token: string;
}

export interface Counters {
  checkouts: number;
  paid: number;
  failedPayments: number;
  cancelled: number;
  outOfStock: number;
  signInFailures: number;
}

const PASSWORD = "Load-Test-Kopi-2024!";
const METHODS = [
  { payment_method: "bank_transfer_va", payment_channel: "bca" },
  { payment_method: "bank_transfer_va", payment_channel: "bni" },
  { payment_method: "ewallet", payment_channel: "gopay" },
  { payment_method: "ewallet", payment_channel: "ovo" },
];

const pick = <T>(list: readonly T[], u: number): T | undefined => list[Math.floor(u * list.length)];

/** Retries an idempotent step through faults: no answer or a 5xx is tried again after a pause. */
async function retry(
  step: () => Promise<{ status: number; body: Json }>,
  attempts = 4,
): Promise<{ status: number; body: Json }> {
  let last = { status: 0, body: {} as Json };
  for (let i = 0; i < attempts; i++) {
    last = await step();
    if (last.status !== 0 && last.status < 500) return last;
    await sleep(500 * 2 ** i);
  }
  return last;
}

/** One buyer: signs up, signs in, keeps an address, then acts by the mix until told to stop. */
export class Buyer {
  private token = "";
  private addressId = "";
  private cartLines = 0;
  private email = "";

  constructor(
    private readonly api: Api,
    private readonly catalog: Catalog,
    private readonly seller: Seller,
    private readonly counters: Counters,
    private readonly random: () => number,
  ) {}

  /** Sign-up, sign-in and an address; false when the platform did not let it (counted, not thrown). */
  async setup(): Promise<boolean> {
    this.email = `load-${randomUUID()}@toko.test`;
    const created = await retry(() =>
      this.api.call("POST /users", "POST", "/api/v1/users", {
        body: { email: this.email, password: PASSWORD, name: "Pembeli Beban", phone: "+6281234567890" },
      }),
    );
    if (created.status !== 201) return false;
    if (!(await this.signIn())) return false;
    const address = await retry(() =>
      this.api.call("POST /me/addresses", "POST", "/api/v1/me/addresses", {
        token: this.token,
        body: {
          label: "Rumah",
          recipient: "Pembeli Beban",
          phone: "+6281234567890",
          street: "Jl. Merdeka 1",
          district: "Kebayoran Baru",
          city: "Jakarta Selatan",
          province: "DKI Jakarta",
          postal_code: "12110",
          is_default: true,
        },
      }),
    );
    this.addressId = String(address.body.id ?? "");
    return address.status === 201;
  }

  private async signIn(): Promise<boolean> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const started = performance.now();
      try {
        this.token = await signIn(this.api.origin, this.email, PASSWORD, "openid buyer");
        this.api.report("sign-in (code flow)", 200, performance.now() - started);
        return true;
      } catch {
        this.api.report("sign-in (code flow)", 0, performance.now() - started);
        await sleep(1000 * 2 ** attempt);
      }
    }
    this.counters.signInFailures++;
    return false;
  }

  /** An authenticated call; an expired token (401) is renewed by signing in again once. */
  private async authed(
    name: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    let res = await this.api.call(name, method, path, { token: this.token, body, headers });
    if (res.status === 401 && (await this.signIn()))
      res = await this.api.call(name, method, path, { token: this.token, body, headers });
    return res;
  }

  async act(action: Action): Promise<void> {
    switch (action) {
      case "browse":
        return this.browse();
      case "search":
        return this.search();
      case "cart":
        return this.addToCart();
      case "checkout":
        return this.checkout();
      case "seller":
        return sellerAction(this.api, this.catalog, this.seller, this.random);
    }
  }

  private async browse(): Promise<void> {
    const u = this.random();
    if (u < 0.3 || this.catalog.products.length === 0) {
      const category = pick(this.catalog.categories, this.random());
      const query = category && u < 0.15 ? `?category=${category}&limit=20` : "?limit=20";
      const res = await this.api.call("GET /products", "GET", `/api/v1/products${query}`);
      remember(this.catalog, res.body);
      return;
    }
    const product = pick(this.catalog.products, this.random());
    if (product) await this.api.call("GET /products/{id}", "GET", `/api/v1/products/${product.id}`);
  }

  private async search(): Promise<void> {
    const word = pick(this.catalog.searchWords, this.random()) ?? "kopi";
    const sort = this.random() < 0.2 ? "&sort=price_asc" : "";
    await this.api.call("GET /search", "GET", `/api/v1/search?q=${encodeURIComponent(word)}${sort}`);
  }

  private variant(): string | undefined {
    // A third of the purchases go to the demo seller's shop, whose orders the seller actions handle.
    if (this.random() < 0.35 && this.catalog.sellerVariants.length > 0)
      return pick(this.catalog.sellerVariants, this.random());
    const product = pick(this.catalog.products, this.random());
    return product ? pick(product.variants, this.random()) : undefined;
  }

  private async addToCart(): Promise<void> {
    if (this.cartLines >= 3) {
      await this.authed("GET /cart", "GET", "/api/v1/cart");
      return;
    }
    const variant = this.variant();
    if (!variant) return;
    const res = await this.authed("POST /cart/items", "POST", "/api/v1/cart/items", {
      variant_id: variant,
      quantity: 1 + Math.floor(this.random() * 2),
    });
    if (res.status === 200 || res.status === 201) this.cartLines++;
    await this.authed("GET /cart", "GET", "/api/v1/cart");
  }

  /** Checkout and pay: success mostly, sometimes a declined payment or a cancellation (the compensations). */
  private async checkout(): Promise<void> {
    if (this.cartLines === 0) await this.addToCart();
    if (this.cartLines === 0) return;
    const options = await retry(() =>
      this.authed(
        "GET /cart/shipping-options",
        "GET",
        `/api/v1/cart/shipping-options?address_id=${this.addressId}`,
      ),
    );
    if (options.status !== 200) return;
    const items = (options.body.items ?? []) as { shop_id: string; options: { id: string }[] }[];
    const shipping = items
      .filter((s) => s.options.length > 0)
      .map((s) => ({ shop_id: s.shop_id, option_id: s.options[0]?.id ?? "" }));
    if (shipping.length === 0) return;
    const method = pick(METHODS, this.random()) ?? METHODS[0];
    const key = randomUUID();
    const body = { address_id: this.addressId, shipping, ...method };
    // The same Idempotency-Key through every retry: one checkout however often it is sent.
    const res = await retry(
      () => this.authed("POST /checkout", "POST", "/api/v1/checkout", body, { "idempotency-key": key }),
      5,
    );
    if (res.status === 409 || (res.status === 422 && res.body.code !== "IDEMPOTENCY_KEY_REUSED")) {
      // Out of stock or a cart line that cannot be bought: start a fresh cart.
      this.counters.outOfStock++;
      await this.clearCart();
      return;
    }
    if (res.status !== 201) return;
    this.counters.checkouts++;
    this.cartLines = 0;
    const payment = res.body.payment as { id?: string } | undefined;
    const orders = (res.body.orders ?? []) as { id: string }[];
    const u = this.random();
    if (u < 0.1) {
      const order = orders[0];
      if (!order) return;
      const cancelled = await retry(() =>
        this.authed("POST /orders/{id}/cancel", "POST", `/api/v1/orders/${order.id}/cancel`),
      );
      if (cancelled.status === 200) this.counters.cancelled++;
      return;
    }
    if (!payment?.id) return;
    const outcome = u < 0.25 ? "failure" : "success";
    const simulated = await retry(() =>
      this.authed("POST /payments/{id}/simulate", "POST", `/api/v1/payments/${payment.id}/simulate`, {
        outcome,
      }),
    );
    if (simulated.status === 202) {
      if (outcome === "success") this.counters.paid++;
      else this.counters.failedPayments++;
    }
    await this.authed("GET /orders/{id}", "GET", `/api/v1/orders/${orders[0]?.id ?? ""}`);
  }

  private async clearCart(): Promise<void> {
    const cart = await this.authed("GET /cart", "GET", "/api/v1/cart");
    const shops = (cart.body.shops ?? []) as { lines: { variant_id: string }[] }[];
    for (const line of shops.flatMap((s) => s.lines))
      await this.authed("DELETE /cart/items/{id}", "DELETE", `/api/v1/cart/items/${line.variant_id}`);
    this.cartLines = 0;
  }
}

/** Seller center traffic of the demo seller: handle paid orders, restock, look at the balance. */
async function sellerAction(api: Api, catalog: Catalog, seller: Seller, random: () => number): Promise<void> {
  const token = seller.token;
  const u = random();
  if (u < 0.5) {
    const paid = await api.call("GET /seller/orders", "GET", "/api/v1/seller/orders?status=PAID&limit=5", {
      token,
    });
    const order = ((paid.body.items ?? []) as { id: string }[])[0];
    if (!order) return;
    const accepted = await api.call(
      "POST /seller/orders/{id}/accept",
      "POST",
      `/api/v1/seller/orders/${order.id}/accept`,
      {
        token,
      },
    );
    if (accepted.status === 200)
      await api.call("POST /seller/orders/{id}/ship", "POST", `/api/v1/seller/orders/${order.id}/ship`, {
        token,
        body: {},
      });
  } else if (u < 0.8) {
    const sku = pick(catalog.sellerSkus, random());
    if (!sku || !catalog.sellerWarehouse) return;
    await api.call("POST /seller/stock/adjustments", "POST", "/api/v1/seller/stock/adjustments", {
      token,
      body: {
        sku,
        warehouse_id: catalog.sellerWarehouse,
        delta: 1 + Math.floor(random() * 3),
        reason: "restock",
      },
      headers: { "idempotency-key": randomUUID() },
    });
  } else {
    await api.call("GET /seller/balance", "GET", "/api/v1/seller/balance", { token });
  }
}

/** Adds the products of a listing answer to the shared catalog. */
export function remember(catalog: Catalog, body: Json): void {
  const items = (body.items ?? []) as { id?: string; shop_id?: string; variants?: { id: string }[] }[];
  for (const item of items) {
    if (!item.id || !item.variants || catalog.products.some((p) => p.id === item.id)) continue;
    catalog.products.push({
      id: item.id,
      shopId: item.shop_id ?? "",
      variants: item.variants.map((v) => v.id),
    });
  }
}
