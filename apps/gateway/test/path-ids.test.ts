import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { type Marketplace, startMarketplace } from "./helpers/marketplace.ts";

// API.md: an unknown id in a path, whatever its shape, is 404 NOT_FOUND — never a 422 naming a
// field of an internal call, never a 5xx. Every route with an id in its path (read from the
// OpenAPI document, so a new one cannot be forgotten) is called with ids of several shapes by a
// signed-in seller who owns a shop, through the real gateway to the real services.
let market: Marketplace;
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

before(
  async () => {
    // Search routes take ids in the query, never the path: search is not started.
    market = await startMarketplace({
      services: [
        "user",
        "product",
        "shipping",
        "inventory",
        "shortener",
        "cart",
        "payment",
        "notification",
        "order",
      ],
      env: {
        user: { TOKO_ADMIN_PASSWORD: "Path-Ids-Test-Admin-77" },
        shipping: { SHIPPING_WEBHOOK_SECRETS: "jne=path-ids-test-webhook-secret" },
      },
    });
    // A registered user (so `me` routes find them) who is a seller with a shop (so seller routes
    // answer for the caller's own shop, not NO_SHOP).
    const account = await market.api.register(true, ["admin"]);
    token = account.token;
    await market.api.openShop(account, "Toko Path");
  },
  { timeout: 420_000 },
);
after(async () => {
  await market?.stop();
});

/** Every (method, path template) of the OpenAPI document with a parameter in its path. */
async function pathIdRoutes(): Promise<[string, string][]> {
  const doc = (await (await fetch(`${market.gateway.url}/api/v1/openapi.json`)).json()) as {
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
      const res = await fetch(`${market.gateway.url}${path}`, {
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
