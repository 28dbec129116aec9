import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import { inventoryModule } from "../src/routes/inventory/index.ts";
import { linksModule } from "../src/routes/links/index.ts";
import { INTERNAL_SECRET, json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { type ShortenerProcess, startShortenerProcess } from "./helpers/shortener-process.ts";
import { SELLER_CLAIMS, startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Through the real gateway (HTTP) to the real shortener process (gRPC) and PostgreSQL.
let issuer: TestIssuer;
let db: TestDatabase;
let shortener: ShortenerProcess;
let gw: RunningGateway;
let origin: string;
const QUOTA = 5;
const MISSES = 8;

before(async () => {
  const [gatewayPort, grpcPort, opsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  origin = `http://127.0.0.1:${gatewayPort}`;
  [issuer, db] = await Promise.all([startTestIssuer(), createTestDatabase()]);
  shortener = await startShortenerProcess({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: String(grpcPort),
    OPS_PORT: String(opsPort),
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_PUBLIC_ORIGIN: origin,
    LINK_QUOTA_PER_DAY: String(QUOTA),
  });
  gw = await startGateway(issuer, {
    GATEWAY_PORT: String(gatewayPort),
    TOKO_PUBLIC_ORIGIN: origin,
    TOKO_SHORTENER_ADDR: shortener.grpcAddress,
    // The test is the trusted proxy: X-Forwarded-For names the visitor (unknown-code budget below).
    TOKO_TRUSTED_PROXIES: "127.0.0.1,::1",
    TOKO_RATE_LIMIT_LINK_MISSES: String(MISSES),
  });
});
after(async () => {
  await gw?.close();
  await shortener?.stop();
  await Promise.all([issuer?.close(), db?.drop()]);
});

const user = () => issuer.mint(`user-${randomUUID()}`);
const create = (token: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/api/v1/links`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const visit = (code: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/s/${code}`, { redirect: "manual", headers });
const alias = () => `a-${randomUUID().slice(0, 8)}`;

describe("creating links", () => {
  it("creates a generated code and redirects to it with 301 when it never expires", async () => {
    const res = await create(await user(), { url: "https://example.com/kopi?x=1" });
    assert.equal(res.status, 201);
    const link = await json(res);
    assert.match(String(link.code), /^[A-Za-z0-9]{7,}$/);
    assert.equal(link.short_url, `${origin}/s/${link.code}`);
    assert.equal(res.headers.get("location"), link.short_url);
    assert.equal(link.url, "https://example.com/kopi?x=1");
    assert.equal(link.expires_at, null);
    const hop = await visit(String(link.code));
    assert.equal(hop.status, 301);
    assert.equal(hop.headers.get("location"), "https://example.com/kopi?x=1");
    assert.match(hop.headers.get("cache-control") ?? "", /max-age=300/);
  });

  it("requires a signed-in user", async () => {
    const res = await create(undefined, { url: "https://example.com/" });
    assert.equal(res.status, 401);
    assert.equal((await json(res)).code, "UNAUTHENTICATED");
  });

  it("takes a custom alias once: the second claim is 409", async () => {
    const name = alias();
    assert.equal((await create(await user(), { url: "https://example.com/", alias: name })).status, 201);
    const taken = await create(await user(), { url: "https://example.org/", alias: name });
    assert.equal(taken.status, 409);
    assert.match(taken.headers.get("content-type") ?? "", /problem\+json/);
    assert.equal((await json(taken)).code, "ALIAS_TAKEN");
  });

  it("refuses every invalid target and alias with 422, creating nothing", async () => {
    const token = await user();
    const cases: [string, Record<string, unknown>][] = [
      ["ftp scheme", { url: "ftp://example.com/file" }],
      ["javascript scheme", { url: "javascript:alert(1)" }],
      ["not a URL", { url: "not a url" }],
      ["too long", { url: `https://example.com/${"a".repeat(2040)}` }],
      ["credentials", { url: "https://user:secret@example.com/" }],
      ["loop to our own host", { url: `${origin}/s/abcdefg` }],
      ["alias too short", { url: "https://example.com/", alias: "ab" }],
      ["alias too long", { url: "https://example.com/", alias: "a".repeat(33) }],
      ["alias bad characters", { url: "https://example.com/", alias: "kopi!susu" }],
      ["unicode alias", { url: "https://example.com/", alias: "kopi☕susu" }],
      ["reserved alias", { url: "https://example.com/", alias: "admin" }],
      ["expiry in the past", { url: "https://example.com/", expires_at: "2001-01-01T00:00:00Z" }],
      ["malformed expiry", { url: "https://example.com/", expires_at: "tomorrow" }],
      ["unknown field", { url: "https://example.com/", expiresAt: "2099-01-01T00:00:00Z" }],
    ];
    for (const [name, body] of cases) {
      const res = await create(token, body);
      assert.equal(res.status, 422, name);
      const problem = await json(res);
      assert.equal(problem.code, "VALIDATION_FAILED", name);
      assert.ok(String(problem.detail).length > 0, name);
      if (typeof body.alias === "string" && /^[\w-]+$/.test(body.alias)) {
        assert.equal((await visit(body.alias)).status, 404, `${name}: nothing created`);
      }
    }
    const list = await json(
      await fetch(`${gw.url}/api/v1/links`, { headers: { authorization: `Bearer ${token}` } }),
    );
    assert.deepEqual(list, { items: [], next_cursor: null });
  });

  it("answers malformed JSON with 400 and a 10 MB body with 413", async () => {
    const token = await user();
    const malformed = await create(token, '{"url": "https://example.com/"');
    assert.equal(malformed.status, 400);
    assert.equal((await json(malformed)).code, "MALFORMED_JSON");
    const huge = await create(
      token,
      JSON.stringify({ url: `https://example.com/${"x".repeat(10 * 1024 * 1024)}` }),
    );
    assert.equal(huge.status, 413);
    assert.equal((await json(huge)).code, "PAYLOAD_TOO_LARGE");
  });

  it("replays a create retried with the same Idempotency-Key", async () => {
    const token = await user();
    const key = randomUUID();
    const first = await json(
      await create(token, { url: "https://example.com/once" }, { "idempotency-key": key }),
    );
    const again = await create(token, { url: "https://example.com/once" }, { "idempotency-key": key });
    assert.equal(again.status, 201);
    assert.equal((await json(again)).code, first.code);
    const list = await json(
      await fetch(`${gw.url}/api/v1/links`, { headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal((list.items as unknown[]).length, 1);
  });

  it("enforces the per-user creation quota with 429", async () => {
    const token = await user();
    for (let i = 0; i < QUOTA; i++)
      assert.equal((await create(token, { url: `https://example.com/${i}` })).status, 201);
    const over = await create(token, { url: "https://example.com/over" });
    assert.equal(over.status, 429);
    assert.equal((await json(over)).code, "QUOTA_EXCEEDED");
    assert.equal((await create(await user(), { url: "https://example.com/other" })).status, 201);
  });
});

describe("redirects", () => {
  it("answers 302 for an expiring link and 404 from the moment it expires", async () => {
    const expiresAt = new Date(Date.now() + 1_500);
    const res = await create(await user(), {
      url: "https://example.com/flash",
      expires_at: expiresAt.toISOString(),
    });
    assert.equal(res.status, 201);
    const { code, expires_at } = await json(res);
    assert.equal(expires_at, expiresAt.toISOString());
    const hop = await visit(String(code));
    assert.equal(hop.status, 302);
    assert.equal(hop.headers.get("cache-control"), "no-store");
    // The resolution is now cached in the gateway; expiry must still be exact.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now())));
    const gone = await visit(String(code));
    assert.equal(gone.status, 404);
    assert.match(gone.headers.get("content-type") ?? "", /text\/html/);
  });

  it("counts resolutions by cache outcome on /metrics", async () => {
    const outcome = async (name: string) => {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      const line = text
        .split("\n")
        .find((l) => l.startsWith(`gateway_redirect_cache_total{outcome="${name}"}`));
      return Number(line?.split(" ")[1] ?? 0);
    };
    const { code } = await json(await create(await user(), { url: "https://example.com/counted" }));
    const [miss, hit] = [await outcome("miss"), await outcome("hit")];
    assert.equal((await visit(String(code))).status, 301);
    assert.equal((await visit(String(code))).status, 301);
    assert.equal(await outcome("miss"), miss + 1, "the first visit asked the shortener");
    assert.equal(await outcome("hit"), hit + 1, "the second came from the cache");
  });

  it("answers unknown and impossible codes with the 404 page", async () => {
    assert.equal((await visit("zzzzzzzzzz")).status, 404);
    assert.equal((await visit(encodeURIComponent("kopi☕"))).status, 404);
  });

  it("limits unknown codes per visitor (each costs a lookup), never known ones", async () => {
    const { code } = await json(await create(await user(), { url: "https://example.com/kept" }));
    const prober = { "x-forwarded-for": "203.0.113.50" };
    assert.equal((await visit(String(code), prober)).status, 301);
    for (let i = 0; i < MISSES; i++) {
      const unknown = `probe-${i}-${randomUUID().slice(0, 8)}`;
      assert.equal((await visit(unknown, prober)).status, 404);
      // Hits and a repeated (cached) miss do not count.
      assert.equal((await visit(String(code), prober)).status, 301);
      assert.equal((await visit(unknown, prober)).status, 404);
    }
    const limited = await visit(`probe-over-${randomUUID().slice(0, 8)}`, prober);
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get("content-type") ?? "", /problem\+json/);
    assert.equal((await json(limited)).code, "RATE_LIMITED");
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(limited.headers.get("ratelimit-limit"), String(MISSES));
    assert.equal(limited.headers.get("ratelimit-remaining"), "0");
    // The known (cached) link still redirects; another visitor still gets the 404 page.
    assert.equal((await visit(String(code), prober)).status, 301);
    const other = await visit(`probe-${randomUUID().slice(0, 8)}`, { "x-forwarded-for": "203.0.113.51" });
    assert.equal(other.status, 404);
  });

  it("stops redirecting a disabled link", async () => {
    const token = await user();
    const { code } = await json(await create(token, { url: "https://example.com/off" }));
    assert.equal((await visit(String(code))).status, 301);
    const off = await fetch(`${gw.url}/api/v1/links/${code}/disable`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(off.status, 200);
    assert.equal((await json(off)).disabled, true);
    assert.equal((await visit(String(code))).status, 404);
  });
});

describe("click statistics", () => {
  it("counts clicks by day, referrer host and browser family, for the owner only", async () => {
    const owner = await user();
    const { code } = await json(await create(owner, { url: "https://example.com/stats" }));
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    await visit(String(code), { "user-agent": firefox, referer: "https://news.example/a?b=c" });
    await visit(String(code), { "user-agent": firefox, referer: "https://news.example/other" });
    await visit(String(code), { "user-agent": "curl/8.5.0" });
    const res = await fetch(`${gw.url}/api/v1/links/${code}/stats`, {
      headers: { authorization: `Bearer ${owner}` },
    });
    assert.equal(res.status, 200);
    const stats = await json(res);
    assert.equal(stats.total, 3);
    assert.deepEqual(stats.per_day, [{ date: new Date().toISOString().slice(0, 10), clicks: 3 }]);
    assert.deepEqual(stats.referrers, [{ host: "news.example", clicks: 2 }]);
    const families = Object.fromEntries(
      (stats.user_agents as { family: string; clicks: number }[]).map((u) => [u.family, u.clicks]),
    );
    assert.equal(families.Firefox, 2);
    assert.equal(families.curl, 1);

    const stranger = await fetch(`${gw.url}/api/v1/links/${code}/stats`, {
      headers: { authorization: `Bearer ${await user()}` },
    });
    assert.equal(stranger.status, 404);
    assert.equal((await json(stranger)).code, "NOT_FOUND");
    assert.equal((await fetch(`${gw.url}/api/v1/links/${code}/stats`)).status, 401);
  });
});

describe("when another routed service is down", () => {
  it("stays ready, answers that service's routes 503 quickly and serves the rest", async () => {
    const both = await startGateway(
      issuer,
      { TOKO_SHORTENER_ADDR: shortener.grpcAddress, TOKO_INVENTORY_ADDR: "127.0.0.1:9" },
      { modules: [linksModule, inventoryModule] },
    );
    try {
      const ready = await fetch(`${both.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual((await json(ready)).services, { shortener: "serving", inventory: "unavailable" });
      const seller = await issuer.mint(`seller-${randomUUID()}`, SELLER_CLAIMS);
      const down = await fetch(`${both.url}/api/v1/seller/warehouses`, {
        headers: { authorization: `Bearer ${seller}` },
      });
      assert.equal(down.status, 503);
      assert.match(down.headers.get("content-type") ?? "", /application\/problem\+json/);
      // Refused at once (the channel knows the peer is gone), not after the call deadline (504).
      assert.equal((await json(down)).code, "SERVICE_UNAVAILABLE");
      const link = await fetch(`${both.url}/api/v1/links`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await user()}` },
        body: JSON.stringify({ url: "https://example.com/still-up" }),
      });
      assert.equal(link.status, 201);
      const metrics = await (await fetch(`${both.url}/metrics`)).text();
      assert.match(metrics, /gateway_upstream_up\{service="inventory"\} 0/);
      assert.match(metrics, /gateway_upstream_up\{service="shortener"\} 1/);
    } finally {
      await both.close();
    }
  });
});

describe("when the shortener is down", () => {
  it("answers 503 problem+json, keeps serving other routes, and recovers when it returns", async () => {
    const token = await user();
    await shortener.stop();
    const create503 = await create(token, { url: "https://example.com/down" });
    assert.equal(create503.status, 503);
    assert.equal((await json(create503)).code, "SERVICE_UNAVAILABLE");
    const redirect503 = await visit("never-seen-code");
    assert.equal(redirect503.status, 503);
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${gw.url}/api/v1/openapi.json`)).status, 200);
    const ready = await fetch(`${gw.url}/readyz`);
    assert.equal(ready.status, 200, "one service down must not take the gateway out of rotation");
    assert.deepEqual((await json(ready)).services, { shortener: "unavailable" });

    await shortener.start();
    let status = 0;
    for (let i = 0; i < 100 && status !== 201; i++) {
      status = (await create(token, { url: "https://example.com/back" })).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 201);
    const back = await fetch(`${gw.url}/readyz`);
    assert.equal(back.status, 200);
    assert.deepEqual((await json(back)).services, { shortener: "serving" });
  });
});
