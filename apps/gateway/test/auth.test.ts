import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { guestOrBuyer } from "../src/auth/route-rules.ts";
import { json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

let issuer: TestIssuer;
let gw: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  gw = await startGateway(
    issuer,
    { TOKO_JWT_CLOCK_SKEW_S: "30" },
    {
      extraRoutes: (app) => {
        app.get("/test/whoami", { config: { auth: "user" } }, async (request) => request.principal);
        app.get("/test/admin", { config: { auth: { roles: ["admin"] } } }, async () => ({ ok: true }));
        app.get("/test/seller-scope", { config: { auth: { scopes: ["seller"] } } }, async () => ({
          ok: true,
        }));
        app.get("/test/guest-or-buyer", { config: { auth: guestOrBuyer } }, async (request) => ({
          sub: request.principal?.subject ?? null,
        }));
        app.get("/test/public", async (request) => ({ sub: request.principal?.subject ?? null }));
      },
    },
  );
});
after(async () => {
  await gw.close();
  await issuer.close();
});

const get = (path: string, token?: string) =>
  fetch(`${gw.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function expect401(res: Response, detail: RegExp): Promise<void> {
  assert.equal(res.status, 401);
  assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
  const body = await json(res);
  assert.equal(body.code, "UNAUTHENTICATED");
  assert.match(String(body.detail), detail);
}

describe("JWT bearer authentication", () => {
  it("accepts a valid token and exposes the principal's roles, scopes and client", async () => {
    const token = await issuer.mint("user-1", {
      roles: ["buyer", "seller"],
      scope: "openid seller",
      client_id: "toko-web",
    });
    const res = await get("/test/whoami", token);
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), {
      subject: "user-1",
      roles: ["buyer", "seller"],
      scopes: ["openid", "seller"],
      clientId: "toko-web",
    });
  });

  it("requires a token on user routes but not on public ones", async () => {
    await expect401(await get("/test/whoami"), /requires a bearer/);
    assert.deepEqual(await json(await get("/test/public")), { sub: null });
    await expect401(
      await fetch(`${gw.url}/test/whoami`, { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
      /Bearer/,
    );
  });

  it("rejects an expired token beyond the clock-skew tolerance, and accepts one within it", async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await issuer.mint("user-1", {}, { issuedAt: now - 600, expiresIn: now - 120 });
    await expect401(await get("/test/whoami", stale), /expired/);
    const justExpired = await issuer.mint("user-1", {}, { issuedAt: now - 600, expiresIn: now - 5 });
    assert.equal((await get("/test/whoami", justExpired)).status, 200);
  });

  it("rejects forged signatures, other audiences and other issuers, even on public routes", async () => {
    await expect401(
      await get("/test/whoami", await issuer.mint("user-1", {}, { key: "foreign" })),
      /signature/,
    );
    await expect401(await get("/test/whoami", await issuer.mint("user-1", { aud: "someone-else" })), /aud/);
    await expect401(
      await get("/test/public", await issuer.mint("user-1", { iss: "https://evil.example" })),
      /iss/,
    );
    await expect401(await get("/test/whoami", "not.a.jwt"), /invalid/);
  });

  it("refetches the JWKS when a token names a key it has not seen (rotation)", async () => {
    assert.equal((await get("/test/whoami", await issuer.mint("user-1"))).status, 200);
    const before = issuer.jwksFetches();
    await issuer.rotate();
    const rotated = await issuer.mint("user-2");
    const res = await get("/test/whoami", rotated);
    assert.equal(res.status, 200);
    assert.equal((await json(res)).subject, "user-2");
    assert.equal(issuer.jwksFetches(), before + 1);
    // Unknown kid that the issuer does not publish either: still refused.
    await expect401(
      await get("/test/whoami", await issuer.mint("user-3", {}, { kid: "no-such-kid" })),
      /unknown key/,
    );
  });

  it("enforces route-level roles and scopes with 403", async () => {
    const buyer = await issuer.mint("user-1", { roles: ["buyer"], scope: "openid buyer" });
    const admin = await issuer.mint("admin-1", { roles: ["admin"], scope: "openid admin seller" });
    const denied = await get("/test/admin", buyer);
    assert.equal(denied.status, 403);
    assert.equal((await json(denied)).code, "FORBIDDEN");
    assert.equal((await get("/test/admin", admin)).status, 200);
    assert.equal((await get("/test/seller-scope", buyer)).status, 403);
    assert.equal((await get("/test/seller-scope", admin)).status, 200);
  });

  it("guestOrBuyer: a guest without a token passes, a token needs the buyer scope", async () => {
    assert.deepEqual(await json(await get("/test/guest-or-buyer")), { sub: null });
    const buyer = await issuer.mint("user-1", { roles: ["buyer"], scope: "openid buyer" });
    assert.deepEqual(await json(await get("/test/guest-or-buyer", buyer)), { sub: "user-1" });
    const noBuyerScope = await issuer.mint("user-2", { roles: ["buyer"], scope: "openid" });
    const refused = await get("/test/guest-or-buyer", noBuyerScope);
    assert.equal(refused.status, 403);
    assert.equal((await json(refused)).code, "FORBIDDEN");
    await expect401(await get("/test/guest-or-buyer", "not-a-jwt"), /./);
  });
});
