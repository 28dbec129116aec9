import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { REDIS_URL, redisAvailable } from "./helpers/redis.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

let issuer: TestIssuer;
before(async () => {
  issuer = await startTestIssuer();
});
after(() => issuer.close());

const redis = await redisAvailable();

for (const store of ["memory", "redis"] as const) {
  const skip = store === "redis" && redis !== true ? redis : false;
  describe(`rate limits (${store} store)`, { skip }, () => {
    // Unique routes per run: Redis counters from an earlier run cannot leak into this one.
    const run = randomUUID().slice(0, 8);
    const limited = `/test/${run}/limited`;
    let gw: RunningGateway;

    before(async () => {
      gw = await startGateway(
        issuer,
        { TOKO_RATE_LIMIT: "5", ...(store === "redis" ? { TOKO_REDIS_URL: REDIS_URL } : {}) },
        {
          extraRoutes: (app) => {
            app.get(limited, { config: { rateLimit: { max: 3, windowMs: 60_000 } } }, async () => ({
              ok: true,
            }));
            const misses = app.outcomeLimiter(`misses-${run}`, { max: 2, windowMs: 60_000 });
            app.get<{ Querystring: { found?: string } }>(
              `/test/${run}/lookup`,
              { config: { rateLimit: false } },
              async (request, reply) => {
                const limited = await misses.check(request, reply);
                if (limited) throw limited;
                if (request.query.found === "yes") return { ok: true };
                misses.record(request);
                return reply.code(404).send({ ok: false });
              },
            );
            app.get(`/test/${run}/a`, async () => ({ ok: true }));
            app.get(`/test/${run}/b`, async () => ({ ok: true }));
          },
        },
      );
    });
    after(() => gw.close());

    const get = (path: string, token?: string) =>
      fetch(`${gw.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it("counts down a route's own limit, then answers 429 with Retry-After and RateLimit-*", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      for (const remaining of ["2", "1", "0"]) {
        const res = await get(limited, token);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("ratelimit-limit"), "3");
        assert.equal(res.headers.get("ratelimit-remaining"), remaining);
        assert.ok(Number(res.headers.get("ratelimit-reset")) >= 1);
      }
      const res = await get(limited, token);
      assert.equal(res.status, 429);
      const retryAfter = Number(res.headers.get("retry-after"));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
      assert.equal(res.headers.get("ratelimit-remaining"), "0");
      const body = await json(res);
      assert.equal(body.code, "RATE_LIMITED");
      assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
    });

    it("keeps a separate budget per client: another user and an anonymous caller still pass", async () => {
      const a = await issuer.mint(`user-${randomUUID()}`);
      const b = await issuer.mint(`user-${randomUUID()}`);
      for (let i = 0; i < 3; i++) assert.equal((await get(limited, a)).status, 200);
      assert.equal((await get(limited, a)).status, 429);
      assert.equal((await get(limited, b)).status, 200);
      assert.equal((await get(limited)).status, 200);
    });

    it("an outcome budget counts only the costly outcome (misses), per client", async () => {
      const lookup = (found: boolean, token?: string) =>
        get(`/test/${run}/lookup?found=${found ? "yes" : "no"}`, token);
      const token = await issuer.mint(`user-${randomUUID()}`);
      for (let i = 0; i < 4; i++) assert.equal((await lookup(true, token)).status, 200);
      assert.equal((await lookup(false, token)).status, 404);
      assert.equal((await lookup(false, token)).status, 404);
      const limited = await lookup(false, token);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("ratelimit-limit"), "2");
      assert.equal(limited.headers.get("ratelimit-remaining"), "0");
      assert.ok(Number(limited.headers.get("retry-after")) >= 1);
      assert.equal((await json(limited)).code, "RATE_LIMITED");
      assert.equal((await lookup(false, await issuer.mint(`user-${randomUUID()}`))).status, 404);
    });

    it("shares the default budget across routes without their own limit", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      for (let i = 0; i < 3; i++) assert.equal((await get(`/test/${run}/a`, token)).status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await get(`/test/${run}/b`, token)).status, 200);
      const res = await get(`/test/${run}/b`, token);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("ratelimit-limit"), "5");
      // Operations endpoints are never limited.
      const health = await get("/healthz", token);
      assert.equal(health.status, 200);
      assert.equal(health.headers.get("ratelimit-limit"), null);
    });
  });
}

describe("the client behind a proxy", () => {
  const run = randomUUID().slice(0, 8);
  const path = `/test/${run}/ip`;
  const start = (env: Record<string, string>) =>
    startGateway(issuer, env, {
      extraRoutes: (app) => {
        app.get(path, { config: { rateLimit: { max: 1, windowMs: 60_000 } } }, async (request) => ({
          ip: request.ip,
        }));
      },
    });
  const as = (url: string, forwardedFor: string) =>
    fetch(`${url}${path}`, { headers: { "x-forwarded-for": forwardedFor } });

  it("is the socket's peer unless TOKO_TRUSTED_PROXIES names it: a spoofed header buys no budget", async () => {
    const gw = await start({});
    try {
      const first = await as(gw.url, "203.0.113.1");
      assert.equal((await json(first)).ip, "127.0.0.1");
      assert.equal((await as(gw.url, "203.0.113.2")).status, 429);
    } finally {
      await gw.close();
    }
  });

  it("is the forwarded client when the peer is a trusted proxy: one bucket per client", async () => {
    const gw = await start({ TOKO_TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1" });
    try {
      const first = await as(gw.url, "198.51.100.9, 203.0.113.1");
      assert.equal((await json(first)).ip, "203.0.113.1", "the hop our proxy added, not the client's claim");
      assert.equal((await as(gw.url, "203.0.113.2")).status, 200);
      assert.equal((await as(gw.url, "203.0.113.1")).status, 429);
    } finally {
      await gw.close();
    }
  });
});
