import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient, type PromiseClient } from "@toko/kit";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import { catalogModule } from "../src/routes/catalog/index.ts";
import { startProductProcess } from "./catalog/product-process.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { SELLER_CLAIMS, startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// The product page cache through a real gateway and a real product process. Writes made straight
// over gRPC stand for another gateway replica: this gateway learns of them only by expiry.
let issuer: TestIssuer;
let db: TestDatabase;
let product: Awaited<ReturnType<typeof startProductProcess>>;
let gateway: RunningGateway;
let direct: PromiseClient<ProductServiceClient>;

before(async () => {
  [issuer, db] = await Promise.all([startTestIssuer(), createTestDatabase()]);
  const [grpcPort, opsPort] = [await freePort(), await freePort()];
  product = await startProductProcess({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: String(grpcPort),
    OPS_PORT: String(opsPort),
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_USER_ADDR: "127.0.0.1:9",
  });
  gateway = await startGateway(
    issuer,
    { TOKO_PRODUCT_ADDR: product.grpcAddress },
    { modules: [catalogModule] },
  );
  direct = createClient(ProductServiceClient, product.grpcAddress, { internalSecret: INTERNAL_SECRET });
});
after(async () => {
  direct?.close();
  await gateway?.close();
  await product?.stop();
  await Promise.all([issuer?.close(), db?.drop()]);
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, { headers });
const send = async (method: string, path: string, token: string, body: unknown) => {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function openShopWithProduct(status: "active" | "draft" = "active") {
  const sub = `user-${randomUUID()}`;
  const token = await issuer.mint(sub, SELLER_CLAIMS);
  const slug = `kopi-${randomUUID().slice(0, 8)}`;
  assert.equal(
    (
      await send("POST", "/api/v1/shops", token, {
        name: "Kopi",
        slug,
        city: "Medan",
        province: "Sumatera Utara",
      })
    ).status,
    201,
  );
  const { category } = await direct.getCategory({ categoryId: "", slug: "kopi" });
  const created = await send("POST", "/api/v1/products", token, {
    title: "Kopi Sidikalang 250 gr",
    description: "Robusta",
    category_id: category?.id,
    condition: "new",
    weight_grams: 300,
    status,
    variants: [{ sku: `SDK-${slug}`, price: 60_000 }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { sub, token, id: String(created.body.id), sku: `SDK-${slug}` };
}

test("pages are cached with an ETag (304 on revalidation) and never outlive the next scheduled price", async () => {
  const { sub, id, sku } = await openShopWithProduct();
  const owner = { principal: { subject: sub, roles: ["buyer", "seller"], scopes: ["buyer", "seller"] } };
  // Another replica schedules a flash sale shortly; then this gateway caches the page.
  const startsAt = new Date(Date.now() + 1_500);
  await direct.createPriceSchedule(
    { productId: id, sku, price: { amount: 45_000, currency: "IDR" }, percentOff: 0, startsAt },
    owner,
  );
  const first = await get(`/api/v1/products/${id}`);
  assert.equal(first.status, 200);
  assert.equal(
    ((await first.json()) as { variants: { price: { amount: number } }[] }).variants[0]?.price.amount,
    60_000,
  );
  const etag = first.headers.get("etag") ?? "";
  assert.match(etag, /^"[\w-]+"$/);
  assert.equal(first.headers.get("cache-control"), "no-cache");

  const revalidated = await get(`/api/v1/products/${id}`, { "if-none-match": etag });
  assert.equal(revalidated.status, 304);
  assert.equal(await revalidated.text(), "");
  assert.equal(revalidated.headers.get("etag"), etag);

  // An edit elsewhere is not seen while the page is fresh: the cache is really in use.
  await direct.updateProduct({ productId: id, title: "Kopi Sidikalang Premium" }, owner);
  const cached = (await (await get(`/api/v1/products/${id}`)).json()) as { title: string };
  assert.equal(cached.title, "Kopi Sidikalang 250 gr");

  // Once the sale has started the page is reloaded, although the gateway's TTL is far longer.
  while (Date.now() <= startsAt.getTime()) await new Promise((r) => setTimeout(r, 100));
  const after = await get(`/api/v1/products/${id}`, { "if-none-match": etag });
  assert.equal(after.status, 200);
  const body = (await after.json()) as { title: string; variants: { price: { amount: number } }[] };
  assert.equal(body.variants[0]?.price.amount, 45_000);
  assert.equal(body.title, "Kopi Sidikalang Premium");
  assert.notEqual(after.headers.get("etag"), etag);
});

test("writes through the gateway evict at once; drafts are neither cached nor shared", async () => {
  const { token, id } = await openShopWithProduct();
  assert.equal((await get(`/api/v1/products/${id}`)).status, 200);
  assert.equal((await send("PATCH", `/api/v1/products/${id}`, token, { title: "Kopi Baru" })).status, 200);
  assert.equal(
    ((await (await get(`/api/v1/products/${id}`)).json()) as { title: string }).title,
    "Kopi Baru",
  );

  const draft = await openShopWithProduct("draft");
  const mine = await get(`/api/v1/products/${draft.id}`, { authorization: `Bearer ${draft.token}` });
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get("cache-control"), "private, no-store");
  assert.equal((await get(`/api/v1/products/${draft.id}`)).status, 404);
  const stranger = await issuer.mint(`user-${randomUUID()}`);
  assert.equal(
    (await get(`/api/v1/products/${draft.id}`, { authorization: `Bearer ${stranger}` })).status,
    404,
  );
  // Published: now everyone sees it, signed in or not.
  assert.equal(
    (await send("PATCH", `/api/v1/products/${draft.id}`, draft.token, { status: "active" })).status,
    200,
  );
  assert.equal(
    (await get(`/api/v1/products/${draft.id}`, { authorization: `Bearer ${stranger}` })).status,
    200,
  );
  assert.equal((await get(`/api/v1/products/${draft.id}`)).status, 200);
});
