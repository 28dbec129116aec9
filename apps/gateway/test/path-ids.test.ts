import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
} from "@toko/testing";
import { routeModules } from "../src/routes/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// API.md: an unknown id in a path, whatever its shape, is 404 NOT_FOUND — never a 422 naming a
// field of an internal call, never a 5xx. Every route with an id in its path (read from the
// OpenAPI document, so a new one cannot be forgotten) is called with ids of several shapes by a
// signed-in seller who owns a shop, through the real gateway to the real services.
const services = join(import.meta.dirname, "..", "..", "..", "services");
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
const children: ServiceProcess[] = [];
let gateway: RunningGateway;
let token: string;

/** A body the route accepts, so only the path id can be what is wrong. */
const bodies: Record<string, unknown> = {
  "patch /api/v1/products/{id}": { title: "Kopi Gayo" },
  "post /api/v1/products/{id}/price-schedules": {
    sku: "KOPI-1",
    price: 50_000,
    starts_at: new Date(Date.now() + 86_400_000).toISOString(),
  },
  "post /api/v1/products/{id}/reviews": { rating: 5, text: "Enak" },
  "patch /api/v1/me/addresses/{id}": { label: "Rumah" },
  "post /api/v1/seller/purchase-orders/{id}/receive": { lines: [{ sku: "KOPI-1", received: 1 }] },
  "patch /api/v1/cart/items/{variant_id}": { quantity: 1 },
  "put /api/v1/shipments/{id}/delivery-slot": { slot_id: "slot-1" },
  "post /api/v1/payments/{id}/simulate": { outcome: "success" },
  "post /api/v1/orders/{id}/returns": { lines: [{ line_id: "1", quantity: 1 }], reason: "Barang rusak" },
  "post /api/v1/seller/returns/{id}/reject": { reason: "Tidak sesuai syarat" },
};

/**
 * Where an unknown id is not a 404 by design. A wishlist holds product ids of another service
 * that the user service cannot check (the catalog calls the user service, not the reverse), and
 * removing an item is idempotent: a product not in the wishlist is removed already (204).
 */
const exceptions: Record<string, string[]> = {
  "put /api/v1/me/wishlist/{product_id}": ["valid-looking"],
  "delete /api/v1/me/wishlist/{product_id}": ["valid-looking"],
};

/** Ids no route knows, of every shape a client might send (already URL-encoded). */
const shapes: Record<string, string> = {
  "plain garbage": "does-not-exist",
  "valid-looking": randomUUID(),
  "valid-looking with a prefix": `po_${randomUUID().replaceAll("-", "")}`,
  "too long": "x".repeat(300),
  unicode: encodeURIComponent("kopi-☕-ü"),
  "a NUL byte": "a%00b",
  "an encoded slash": "a%2Fb",
  "spaces and quotes": encodeURIComponent(`' OR 1=1 --`),
};

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all(Array.from({ length: 10 }, () => createTestDatabase()));
  const [
    userDb,
    productDb,
    inventoryDb,
    shortenerDb,
    busDb,
    cartDb,
    shippingDb,
    paymentDb,
    notificationDb,
    orderDb,
  ] = dbs as TestDatabase[] as [
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
  ];
  // The bus named explicitly: the services share one PostgreSQL bus database.
  const common = {
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    EVENT_BUS: "postgres",
    BUS_DATABASE_URL: busDb.url,
  };
  const user = await startServiceProcess(join(services, "user"), {
    ...common,
    DATABASE_URL: userDb.url,
    TOKO_ADMIN_PASSWORD: "Path-Ids-Test-Admin-77",
  });
  children.push(user);
  const product = await startServiceProcess(join(services, "product"), {
    ...common,
    DATABASE_URL: productDb.url,
    TOKO_USER_ADDR: user.grpcAddress,
  });
  children.push(product);
  const shipping = await startServiceProcess(join(services, "shipping"), {
    ...common,
    DATABASE_URL: shippingDb.url,
    SHIPPING_WEBHOOK_SECRETS: "jne=path-ids-test-webhook-secret",
    SHIPPING_SIMULATOR: "false",
  });
  children.push(shipping);
  const [inventory, shortener, cart, payment, notification] = await Promise.all([
    startServiceProcess(join(services, "inventory"), {
      ...common,
      DATABASE_URL: inventoryDb.url,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
    }),
    startServiceProcess(join(services, "shortener"), { ...common, DATABASE_URL: shortenerDb.url }),
    startServiceProcess(join(services, "cart"), {
      ...common,
      DATABASE_URL: cartDb.url,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      TOKO_USER_ADDR: user.grpcAddress,
      TOKO_SHIPPING_ADDR: shipping.grpcAddress,
    }),
    startServiceProcess(join(services, "payment"), { ...common, DATABASE_URL: paymentDb.url }),
    startServiceProcess(join(services, "notification"), {
      ...common,
      DATABASE_URL: notificationDb.url,
      TOKO_USER_ADDR: user.grpcAddress,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      // Development: sent email goes to the mail catcher (no SMTP server here).
      TOKO_ENV: "development",
    }),
  ]);
  children.push(inventory, shortener, cart, payment, notification);
  const order = await startServiceProcess(join(services, "order"), {
    ...common,
    DATABASE_URL: orderDb.url,
    TOKO_USER_ADDR: user.grpcAddress,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_INVENTORY_ADDR: inventory.grpcAddress,
    TOKO_CART_ADDR: cart.grpcAddress,
    TOKO_SHIPPING_ADDR: shipping.grpcAddress,
    TOKO_PAYMENT_ADDR: payment.grpcAddress,
  });
  children.push(order);
  gateway = await startGateway(
    issuer,
    {
      TOKO_USER_ADDR: user.grpcAddress,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      TOKO_INVENTORY_ADDR: inventory.grpcAddress,
      TOKO_SHORTENER_ADDR: shortener.grpcAddress,
      TOKO_CART_ADDR: cart.grpcAddress,
      TOKO_SHIPPING_ADDR: shipping.grpcAddress,
      TOKO_PAYMENT_ADDR: payment.grpcAddress,
      TOKO_NOTIFICATION_ADDR: notification.grpcAddress,
      TOKO_ORDER_ADDR: order.grpcAddress,
      TOKO_OAUTH2_ADDR: "127.0.0.1:9",
      // Search routes take ids in the query, never the path: none is called here.
      TOKO_SEARCH_ADDR: "127.0.0.1:9",
      TOKO_RATE_LIMIT: "100000",
    },
    { modules: routeModules },
  );
  // A registered user (so `me` routes find them) who is a seller with a shop (so seller routes
  // answer for the caller's own shop, not NO_SHOP).
  const registered = await fetch(`${gateway.url}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `path-${randomUUID()}@toko.test`,
      password: "Kopi-Gayo-2024!",
      name: "Path",
    }),
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  const { id } = (await registered.json()) as { id: string };
  token = await issuer.mint(id, { roles: ["buyer", "seller", "admin"], scope: "openid buyer seller admin" });
  const shop = await fetch(`${gateway.url}/api/v1/shops`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Toko Path",
      slug: `toko-path-${randomUUID().slice(0, 8)}`,
      city: "Bandung",
      province: "Jawa Barat",
    }),
  });
  assert.equal(shop.status, 201, await shop.text());
});
after(async () => {
  await gateway?.close();
  for (const child of children.reverse()) await child.stop();
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

/** Every (method, path template) of the OpenAPI document with a parameter in its path. */
async function pathIdRoutes(): Promise<[string, string][]> {
  const doc = (await (await fetch(`${gateway.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => path.includes("{"))
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m): [string, string] => [m, path]),
    );
}

test("an unknown id of any shape in any path answers 404 NOT_FOUND", async () => {
  const routes = await pathIdRoutes();
  assert.ok(routes.length >= 15, `only ${routes.length} routes with a path id`);
  const wrong: string[] = [];
  for (const [method, template] of routes) {
    const body = bodies[`${method} ${template}`];
    for (const [shape, id] of Object.entries(shapes)) {
      if (exceptions[`${method} ${template}`]?.includes(shape)) continue;
      const path = template.replace(/\{[^}]+\}/, id);
      const res = await fetch(`${gateway.url}${path}`, {
        method: method.toUpperCase(),
        redirect: "manual",
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const problem = text.startsWith("{") ? (JSON.parse(text) as { code?: string }) : {};
      const type = res.headers.get("content-type") ?? "";
      if (res.status !== 404 || problem.code !== "NOT_FOUND" || !type.includes("problem+json"))
        wrong.push(`${method.toUpperCase()} ${template} (${shape}) → ${res.status} ${text.slice(0, 160)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
