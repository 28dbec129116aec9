import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import {
  createTestDatabase,
  freePort,
  type ServiceProcess,
  sampleAddress,
  startServiceProcess,
  type TestDatabase,
} from "@toko/testing";
import { routeModules } from "../../src/routes/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./gateway.ts";
import { startTestIssuer, type TestIssuer } from "./test-issuer.ts";

// The real gateway in this process in front of real services, each its own process on its own
// database, sharing one PostgreSQL event bus: what the end-to-end gateway tests run against.

const servicesDir = join(import.meta.dirname, "..", "..", "..", "..", "services");

/** The services a test can start, with the variable that gives their gRPC address to callers. */
const ADDRESS_ENV = {
  user: "TOKO_USER_ADDR",
  product: "TOKO_PRODUCT_ADDR",
  inventory: "TOKO_INVENTORY_ADDR",
  cart: "TOKO_CART_ADDR",
  shipping: "TOKO_SHIPPING_ADDR",
  payment: "TOKO_PAYMENT_ADDR",
  order: "TOKO_ORDER_ADDR",
  notification: "TOKO_NOTIFICATION_ADDR",
  shortener: "TOKO_SHORTENER_ADDR",
  search: "TOKO_SEARCH_ADDR",
} as const;
export type ServiceName = keyof typeof ADDRESS_ENV;

/** What the checkout journey needs: every service order calls, and the ones they call. */
export const CHECKOUT_SERVICES: ServiceName[] = [
  "user",
  "product",
  "inventory",
  "cart",
  "shipping",
  "payment",
  "order",
];

export interface MarketplaceOptions {
  services: ServiceName[];
  /** Variables for every service (after the defaults). */
  common?: Record<string, string>;
  /** Variables for one service (after the defaults and `common`). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Variables for the gateway (after the addresses). */
  gatewayEnv?: Record<string, string>;
}

export interface Marketplace {
  issuer: TestIssuer;
  gateway: RunningGateway;
  /** Each started service's own database. */
  db(name: ServiceName): TestDatabase;
  api: MarketplaceApi;
  stop(): Promise<void>;
}

/** The sandbox provider's webhook secret in these tests. */
export const WEBHOOK_SECRET = "marketplace-test-webhook-secret-0123456789";

/**
 * Starts `services` (every address chosen first, so all start at once: none needs another to
 * start) and a gateway routing every module to them; a service not started is routed nowhere.
 */
export async function startMarketplace(options: MarketplaceOptions): Promise<Marketplace> {
  const issuer = await startTestIssuer();
  const names = options.services;
  const dbs = await Promise.all([...names, "bus"].map(() => createTestDatabase()));
  const busDb = dbs[names.length] as TestDatabase;
  const ports = await Promise.all(names.map(() => freePort()));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const addresses: Record<string, string> = {};
  for (const name of Object.keys(ADDRESS_ENV) as ServiceName[])
    addresses[ADDRESS_ENV[name]] = names.includes(name)
      ? `127.0.0.1:${ports[names.indexOf(name)]}`
      : "127.0.0.1:9";
  const defaults: Partial<Record<ServiceName, Record<string, string>>> = {
    // The sandbox calls the gateway's webhook: the gateway's port is chosen first.
    payment: {
      TOKO_PUBLIC_ORIGIN: origin,
      PAYMENT_WEBHOOK_URL: `${origin}/api/v1/payments/webhooks/sandbox`,
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    shipping: { TOKO_ENV: "development", SHIPPING_SIMULATOR: "false" },
    // Development: sent email goes to the mail catcher (no SMTP server here).
    notification: { TOKO_ENV: "development" },
  };
  const children: ServiceProcess[] = [];
  const stop = async () => {
    await gateway?.close();
    for (const child of children.reverse()) await child.kill();
    await Promise.all([issuer.close(), ...dbs.map((d) => d.drop())]);
  };
  let gateway: RunningGateway | undefined;
  try {
    // Every start is awaited before failing, so none is left running when one fails.
    const started = await Promise.allSettled(
      names.map(async (name, i) => {
        const env = {
          TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
          EVENT_BUS: "postgres",
          BUS_DATABASE_URL: busDb.url,
          ...addresses,
          GRPC_PORT: String(ports[i]),
          DATABASE_URL: (dbs[i] as TestDatabase).url,
          ...defaults[name],
          ...options.common,
          ...options.env?.[name],
        };
        // Many processes starting at once on a loaded machine are slow to be ready.
        children.push(await startServiceProcess(join(servicesDir, name), env, { readyTimeoutMs: 300_000 }));
      }),
    );
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    gateway = await startGateway(
      issuer,
      {
        GATEWAY_PORT: String(port),
        TOKO_PUBLIC_ORIGIN: origin,
        ...addresses,
        TOKO_OAUTH2_ADDR: "127.0.0.1:9",
        TOKO_RATE_LIMIT: "100000",
        TOKO_RATE_LIMIT_REGISTER: "100000",
        ...options.gatewayEnv,
      },
      { modules: routeModules },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const running = gateway;
  return {
    issuer,
    gateway: running,
    db(name) {
      const i = names.indexOf(name);
      assert.ok(i >= 0, `${name} was not started`);
      return dbs[i] as TestDatabase;
    },
    api: new MarketplaceApi(running.url, issuer),
    stop,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field against API.md
export type Json = Record<string, any>;

export interface Account {
  id: string;
  token: string;
}

/** API.md calls through the gateway, and the few set-ups every journey starts with. */
export class MarketplaceApi {
  constructor(
    readonly url: string,
    private readonly issuer: TestIssuer,
  ) {}

  async call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${this.url}${path}`, {
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

  /** The call's body, asserting its status. */
  async ok(method: string, path: string, token: string | null, body?: unknown, status = 200, headers = {}) {
    const res = await this.call(method, path, token, body, headers);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    return res.body;
  }

  /** A registered user with a token of the test issuer (a seller is also a buyer). */
  async register(seller: boolean, extraRoles: string[] = []): Promise<Account> {
    const created = await this.ok(
      "POST",
      "/api/v1/users",
      null,
      {
        email: `${seller ? "seller" : "buyer"}-${randomUUID()}@toko.test`,
        password: "Kopi-Gayo-2024!",
        name: seller ? "Penjual" : "Pembeli",
        phone: "+6281234567890",
      },
      201,
    );
    const roles = [...(seller ? ["buyer", "seller"] : ["buyer"]), ...extraRoles];
    const id = created.id as string;
    return { id, token: await this.issuer.mint(id, { roles, scope: `openid ${roles.join(" ")}` }) };
  }

  /** A seller's shop. */
  async openShop(seller: Account, name = "Toko Kopi"): Promise<string> {
    const shop = await this.ok(
      "POST",
      "/api/v1/shops",
      seller.token,
      { name, slug: `toko-${randomUUID().slice(0, 8)}`, city: "Bandung", province: "Jawa Barat" },
      201,
    );
    return shop.id as string;
  }

  /** A seller with a shop, one product of one variant, and `units` of it in a warehouse. */
  async newShop(units: number, price: number) {
    const seller = await this.register(true);
    const shopId = await this.openShop(seller);
    const categories = await this.ok("GET", "/api/v1/categories", seller.token);
    let leaf = categories.items[0];
    while (leaf.children.length > 0) leaf = leaf.children[0];
    const sku = `KOPI-${randomUUID().slice(0, 6)}`;
    const product = await this.ok(
      "POST",
      "/api/v1/products",
      seller.token,
      {
        title: "Kopi Gayo 250 g",
        description: "Arabika",
        category_id: leaf.id,
        condition: "new",
        weight_grams: 300,
        variants: [{ sku, options: { Giling: "Biji" }, price }],
      },
      201,
    );
    const warehouse = await this.ok(
      "POST",
      "/api/v1/seller/warehouses",
      seller.token,
      { name: "Gudang", address: "Jl. Braga 1", city: "Bandung", province: "Jawa Barat", is_default: true },
      201,
    );
    await this.ok(
      "POST",
      "/api/v1/seller/stock/adjustments",
      seller.token,
      { sku, warehouse_id: warehouse.id, delta: units, reason: "stock count" },
      201,
    );
    return { seller, shopId, variantId: product.variants[0].id as string, sku };
  }

  /** A buyer with a default address in Jakarta. */
  async newBuyer() {
    const buyer = await this.register(false);
    const address = await this.ok("POST", "/api/v1/me/addresses", buyer.token, sampleAddress(), 201);
    return { ...buyer, addressId: address.id as string };
  }

  /** Puts `quantity` of a variant in the buyer's cart; the first courier option of each shop. */
  async fill(buyer: { token: string; addressId: string }, variantId: string, quantity: number) {
    const added = await this.call("POST", "/api/v1/cart/items", buyer.token, {
      variant_id: variantId,
      quantity,
    });
    assert.ok(added.status === 200 || added.status === 201, added.text);
    const options = await this.ok(
      "GET",
      `/api/v1/cart/shipping-options?address_id=${buyer.addressId}`,
      buyer.token,
    );
    return options.items.map((s: Json) => ({ shop_id: s.shop_id, option_id: s.options[0].id }));
  }
}
