import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import { buildGateway } from "../src/app.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { catalogModule } from "../src/routes/catalog/index.ts";
import { startProductProcess } from "./catalog/product-process.ts";
import { INTERNAL_SECRET } from "./helpers/gateway.ts";
import { SELLER_CLAIMS, startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

let issuer: TestIssuer;
let db: TestDatabase;
let product: Awaited<ReturnType<typeof startProductProcess>>;
let url = "";
let close: () => Promise<void>;

before(async () => {
  [issuer, db] = await Promise.all([startTestIssuer(), createTestDatabase()]);
  const [grpcPort, opsPort] = [await freePort(), await freePort()];
  product = await startProductProcess({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: String(grpcPort),
    OPS_PORT: String(opsPort),
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    // No user service here: grants are retried by the service's timer (covered in its own tests).
    TOKO_USER_ADDR: "127.0.0.1:9",
  });
  const config = loadGatewayConfig({
    LOG_LEVEL: "silent",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_JWT_ISSUER: issuer.issuer,
    TOKO_JWKS_URL: issuer.jwksUrl,
    TOKO_JWT_AUDIENCE: issuer.audience,
  });
  config.services.product = product.grpcAddress;
  const gateway = await buildGateway(config, { modules: [catalogModule] });
  url = await gateway.listen();
  close = () => gateway.close();
});
after(async () => {
  await close?.();
  await product?.stop();
  await Promise.all([issuer?.close(), db?.drop()]);
});

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : null,
  };
};

const productBody = (categoryId: string, sku = "KOPI") => ({
  title: "Kopi Arabika Gayo 250 gr",
  description: "Biji kopi sangrai medium",
  category_id: categoryId,
  condition: "new",
  weight_grams: 300,
  variants: [
    { sku: `${sku}-BIJI`, options: { Gilingan: "Biji" }, price: { amount: 85_000, currency: "IDR" } },
    { sku: `${sku}-HALUS`, options: { Gilingan: "Halus" }, price: 87_000 },
  ],
});

test("catalog through the gateway: shops, categories, products, ownership, bad input, reviews", async () => {
  // Both may act as sellers: the shop's own service refuses the other one's product writes.
  const owner = await issuer.mint(`user-${randomUUID()}`, SELLER_CLAIMS);
  const other = await issuer.mint(`user-${randomUUID()}`, SELLER_CLAIMS);

  const categories = await call("GET", "/api/v1/categories");
  assert.equal(categories.status, 200);
  const kopi = categories.body.items
    .find((c: { slug: string }) => c.slug === "makanan-minuman")
    .children.find((c: { slug: string }) => c.slug === "minuman")
    .children.find((c: { slug: string }) => c.slug === "kopi");
  assert.deepEqual(Object.keys(kopi).sort(), ["children", "id", "name", "slug"]);

  assert.equal((await call("POST", "/api/v1/shops", undefined, { name: "x" })).status, 401);
  const shop = await call("POST", "/api/v1/shops", owner, {
    name: "Kopi Gayo Asli",
    slug: "kopi-gayo-asli",
    city: "Takengon",
    province: "Aceh",
  });
  assert.equal(shop.status, 201);
  assert.equal((await call("GET", "/api/v1/shops/kopi-gayo-asli")).body.name, "Kopi Gayo Asli");
  assert.equal((await call("GET", "/api/v1/shops/nope-nope")).status, 404);

  // A buyer's token (no seller role or scope) cannot create products, whatever shop it names.
  const buyer = await issuer.mint(`user-${randomUUID()}`);
  assert.equal((await call("POST", "/api/v1/products", buyer, productBody(kopi.id, "BUY"))).status, 403);
  const created = await call("POST", "/api/v1/products", owner, productBody(kopi.id));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id as string;
  const read = await call("GET", `/api/v1/products/${id}`);
  assert.equal(read.status, 200);
  for (const field of [
    "id",
    "shop_id",
    "title",
    "description",
    "category_id",
    "condition",
    "weight_grams",
    "images",
    "status",
    "variants",
    "rating",
  ]) {
    assert.ok(field in read.body, field);
  }
  assert.deepEqual(read.body.variants[1], {
    id: read.body.variants[1].id,
    sku: "KOPI-HALUS",
    options: { Gilingan: "Halus" },
    price: { amount: 87_000, currency: "IDR" },
    base_price: { amount: 87_000, currency: "IDR" },
    price_schedule_id: null,
    stock_status: "unknown",
  });
  assert.deepEqual(read.body.rating, { average: 0, count: 0 });

  const list = await call("GET", "/api/v1/products?shop=kopi-gayo-asli&category=makanan-minuman");
  assert.deepEqual(
    list.body.items.map((p: { id: string }) => p.id),
    [id],
  );
  assert.equal(list.body.next_cursor, null);

  // Non-owners: 403 (401 without a token); nothing changes.
  assert.equal((await call("PATCH", `/api/v1/products/${id}`, other, { title: "Dibajak" })).status, 403);
  assert.equal((await call("DELETE", `/api/v1/products/${id}`, other)).status, 403);
  assert.equal((await call("PATCH", `/api/v1/products/${id}`, undefined, { title: "Dibajak" })).status, 401);
  const sched = await call("POST", `/api/v1/products/${id}/price-schedules`, other, {
    sku: "KOPI-BIJI",
    price: 70_000,
    starts_at: new Date().toISOString(),
  });
  assert.equal(sched.status, 403);

  // Bad input → 4xx problem+json, never 5xx.
  const bad = [
    await call("POST", "/api/v1/products", owner, {
      ...productBody(kopi.id, "NEG"),
      variants: [{ sku: "NEG", price: -1 }],
    }),
    await call("POST", "/api/v1/products", owner, {
      ...productBody(kopi.id, "BIG"),
      description: "x".repeat(6_000),
    }),
    await call("POST", "/api/v1/products", owner, productBody("424242", "UNK")),
    await call("POST", "/api/v1/products", owner, productBody(kopi.id, "KOPI")),
    await call("GET", "/api/v1/products/not-a-valid-id"),
    await call("PATCH", "/api/v1/products/123", owner, { title: "x" }),
  ];
  assert.deepEqual(
    bad.map((r) => [r.status, r.body.code]),
    [
      [422, "VALIDATION_FAILED"],
      [422, "VALIDATION_FAILED"],
      [422, "UNKNOWN_CATEGORY"],
      [409, "SKU_TAKEN"],
      // An id that cannot exist in the path is an unknown id (API.md), not a bad field.
      [404, "NOT_FOUND"],
      [404, "NOT_FOUND"],
    ],
  );
  assert.ok(bad.every((r) => r.type.startsWith("application/problem+json")));
  assert.equal(
    (await call("GET", "/api/v1/products?shop=kopi-gayo-asli")).body.items.length,
    1,
    "nothing was created",
  );

  // Owner edits: a schedule starting now discounts at once (the owner's write evicts the cached page).
  const s = await call("POST", `/api/v1/products/${id}/price-schedules`, owner, {
    sku: "KOPI-BIJI",
    percent_off: 20,
    starts_at: new Date().toISOString(),
  });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  assert.equal((await call("GET", `/api/v1/products/${id}`)).body.variants[0].price.amount, 68_000);

  // The owner lists the product's schedules; others may not (403), nor anyone without a token (401).
  const schedules = await call("GET", `/api/v1/products/${id}/price-schedules`, owner);
  assert.equal(schedules.status, 200, JSON.stringify(schedules.body));
  assert.deepEqual(schedules.body.items, [s.body]);
  assert.equal(schedules.body.items[0].sku, "KOPI-BIJI");
  assert.equal(schedules.body.items[0].percent_off, 20);
  assert.equal((await call("GET", `/api/v1/products/${id}/price-schedules`, other)).status, 403);
  assert.equal((await call("GET", `/api/v1/products/${id}/price-schedules`)).status, 401);

  // Reviews: only buyers of a completed order.
  const review = await call("POST", `/api/v1/products/${id}/reviews`, other, { rating: 5, text: "Mantap" });
  assert.equal(review.status, 403);
  assert.equal(review.body.code, "REVIEW_NOT_ALLOWED");
  assert.deepEqual((await call("GET", `/api/v1/products/${id}/reviews`)).body, {
    items: [],
    next_cursor: null,
    rating: { average: 0, count: 0 },
  });

  const archived = await call("DELETE", `/api/v1/products/${id}`, owner);
  assert.equal(archived.body.status, "archived");
  assert.equal((await call("GET", "/api/v1/products?shop=kopi-gayo-asli")).body.items.length, 0);
});
