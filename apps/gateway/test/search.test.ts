import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  createTestDatabase,
  runServiceScript,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
} from "@toko/testing";
import { searchModule } from "../src/routes/search/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Search, suggest and recommendations through the real gateway over HTTP, to the real search
// process over gRPC and PostgreSQL, its projection built from the real product service's demo
// catalogue by the search service's own seed (the reindex).
const services = join(import.meta.dirname, "..", "..", "..", "services");
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let product: ServiceProcess;
let search: ServiceProcess;
let gateway: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  const [productDb, searchDb, bus] = dbs as [TestDatabase, TestDatabase, TestDatabase];
  const common = { TOKO_INTERNAL_SECRET: INTERNAL_SECRET, EVENT_BUS: "postgres", BUS_DATABASE_URL: bus.url };
  await runServiceScript(join(services, "product"), "src/seed.ts", {
    ...common,
    DATABASE_URL: productDb.url,
    SEED_PRODUCTS: "300",
    // The demo catalogue is development-only data.
    TOKO_ENV: "development",
  });
  product = await startServiceProcess(join(services, "product"), {
    ...common,
    DATABASE_URL: productDb.url,
    TOKO_USER_ADDR: "127.0.0.1:9",
  });
  const searchEnv = {
    ...common,
    DATABASE_URL: searchDb.url,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_USER_ADDR: "127.0.0.1:9",
  };
  await runServiceScript(join(services, "search"), "src/seed.ts", searchEnv);
  search = await startServiceProcess(join(services, "search"), searchEnv);
  gateway = await startGateway(issuer, { TOKO_SEARCH_ADDR: search.grpcAddress }, { modules: [searchModule] });
});
after(async () => {
  await gateway?.close();
  const codes = await Promise.all([search?.stop(), product?.stop()]);
  assert.deepEqual(codes, [0, 0], search?.logs());
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

type Reply = { status: number; headers: Headers; body: ReturnType<typeof JSON.parse> };

async function get(path: string, token?: string): Promise<Reply> {
  const res = await fetch(`${gateway.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

function problem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.headers.get("content-type") ?? "", /application\/problem\+json/);
  assert.equal(reply.body.code, code, JSON.stringify(reply.body));
}

test("GET /api/v1/search: typo tolerant, ranked, faceted, paged", async () => {
  const res = await get("/api/v1/search?q=sepatu%20lri&limit=2");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.corrected_query, "sepatu lari");
  assert.ok(res.body.total >= 2);
  assert.equal(res.body.items.length, 2);
  const [first] = res.body.items;
  assert.match(first.title, /^Sepatu Running/);
  assert.match(first.highlight, /^<em>Sepatu<\/em> <em>Running<\/em>/);
  for (const key of ["id", "title", "price", "rating", "shop", "city", "image_url"])
    assert.ok(key in first, key);
  assert.equal(first.price.currency, "IDR");
  const facetTotal = (xs: { count: number }[]) => xs.reduce((n, f) => n + f.count, 0);
  assert.equal(facetTotal(res.body.facets.category), res.body.total);
  assert.equal(facetTotal(res.body.facets.price_range), res.body.total);
  // The next page continues where the first ended.
  const next = await get(
    `/api/v1/search?q=sepatu%20lri&limit=2&cursor=${encodeURIComponent(res.body.next_cursor)}`,
  );
  assert.equal(next.status, 200);
  assert.ok(
    !next.body.items.some((i: { id: string }) => res.body.items.some((j: { id: string }) => j.id === i.id)),
  );
  // Synonyms: "handphone" ranks titles that say HP or Smartphone first (phone cases, in the
  // "Casing Handphone" category, follow).
  const phones = await get("/api/v1/search?q=handphone&limit=3");
  assert.equal(phones.status, 200);
  assert.ok(phones.body.items.length > 0);
  for (const i of phones.body.items) assert.match(i.title, /^(HP|Smartphone) /);
  // A category browse without words.
  const browse = await get(`/api/v1/search?category=${first.category_id}&sort=best_selling`);
  assert.equal(browse.status, 200);
  assert.ok(browse.body.items.every((i: { category_id: string }) => i.category_id === first.category_id));
});

test("bad search input is a 4xx or an empty result, never a 5xx", async () => {
  problem(await get(`/api/v1/search?q=${"a".repeat(1_000)}`), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search"), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search?q=%20%20"), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search?q=kaos&min_price=-5"), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search?q=kaos&min_price=100000&max_price=5000"), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search?q=kaos&sort=cheapest"), 422, "VALIDATION_FAILED");
  problem(await get("/api/v1/search?q=kaos&cursor=garbage"), 422, "INVALID_CURSOR");
  const emoji = await get(`/api/v1/search?q=${encodeURIComponent("👟👟")}`);
  assert.equal(emoji.status, 200);
  assert.deepEqual([emoji.body.total, emoji.body.items.length], [0, 0]);
  const sql = await get(`/api/v1/search?q=${encodeURIComponent("kaos'; DROP TABLE search_products; --")}`);
  assert.equal(sql.status, 200);
  assert.ok((await get("/api/v1/search?q=kaos")).body.total > 0, "the projection is still there");
});

test("GET /api/v1/search/suggest completes a prefix", async () => {
  const res = await get("/api/v1/search/suggest?q=sepa");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.items.length > 0);
  assert.ok(
    res.body.items.some(
      (s: { kind: string; text: string }) => s.kind === "query" && s.text.startsWith("sepatu"),
    ),
  );
  problem(await get("/api/v1/search/suggest"), 422, "VALIDATION_FAILED");
});

test("GET /api/v1/recommendations: public for a product, sign-in for for=me", async () => {
  const found = await get("/api/v1/search?q=sepatu");
  const id = found.body.items[0].id;
  const res = await get(`/api/v1/recommendations?product_id=${id}&limit=4`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const [similar, together] = res.body.sections;
  assert.equal(similar.kind, "similar");
  assert.equal(similar.source, "content");
  assert.ok(similar.items.length > 0 && similar.items.length <= 4);
  assert.ok(!similar.items.some((i: { id: string }) => i.id === id));
  assert.equal(together.kind, "bought_together");
  problem(await get("/api/v1/recommendations?for=me"), 401, "UNAUTHENTICATED");
  problem(await get("/api/v1/recommendations"), 422, "VALIDATION_FAILED");
  problem(await get(`/api/v1/recommendations?product_id=${id}&for=me`), 422, "VALIDATION_FAILED");
  const token = await issuer.mint("buyer-1", { roles: ["buyer"], scope: "openid buyer" });
  const mine = await get("/api/v1/recommendations?for=me", token);
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.sections[0].kind, "for_you");
  assert.equal(mine.body.sections[0].source, "best_sellers");
});
