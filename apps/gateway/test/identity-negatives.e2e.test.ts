import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { ADDRESS as address } from "./helpers/address.ts";
import { openLogin, signIn, submitLogin } from "./identity-browser.ts";
import { discoverVia, type IdentityStack, startIdentityStack } from "./identity-stack.ts";

// The refusals, with REAL tokens from the oauth2 process, at the real gateway.
const PASSWORD = "correct horse battery";
const productService = { principal: { subject: "service:product", roles: ["service"], scopes: [] } };

describe("identity refusals through the gateway (real user, oauth2, gateway)", () => {
  let stack: IdentityStack;
  let web: oidc.Configuration;
  let callback: string;

  before(async () => {
    stack = await startIdentityStack({ USER_LOCKOUT_ACCOUNT_THRESHOLD: "3" });
    web = await discoverVia(stack.issuer, "toko-web");
    callback = `${stack.origin}/callback`;
  });
  after(async () => {
    await stack?.close();
  });

  /** Registers through the gateway and signs in with code + PKCE (the web app's scopes). */
  async function apiUser(email: string) {
    const id = await stack.register(email, PASSWORD);
    const tokens = await signIn(web, {
      redirectUri: callback,
      email,
      password: PASSWORD,
      scope: "openid email offline_access buyer seller",
    });
    return { id, tokens };
  }

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${stack.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("a buyer is 403 on seller-only routes, refused before the inventory service is called", async () => {
    const buyer = await apiUser("buyer@example.com");
    assert.deepEqual(decodeJwt(buyer.tokens.access_token).roles, ["buyer"]);
    const reads = await call("GET", "/api/v1/seller/warehouses", buyer.tokens.access_token);
    const writes = await call("POST", "/api/v1/seller/warehouses", buyer.tokens.access_token, {
      name: "Gudang Bandung",
    });
    for (const res of [reads, writes]) {
      assert.equal(res.status, 403);
      const problem = (await res.json()) as { code: string; detail: string };
      assert.equal(problem.code, "FORBIDDEN");
      assert.match(problem.detail, /seller/);
    }
    assert.equal(stack.inventory.connections(), 0, "the gateway never dialled the inventory service");

    // Control: once the user opens a shop (the product service grants `seller`), a refreshed
    // token carries the role and the same request passes the gateway to the (absent) service.
    await stack.users.grantRole({ userId: buyer.id, role: "seller" }, productService);
    const seller = await oidc.refreshTokenGrant(web, buyer.tokens.refresh_token ?? "");
    assert.deepEqual(decodeJwt(seller.access_token).roles, ["buyer", "seller"]);
    const passed = await call("GET", "/api/v1/seller/warehouses", seller.access_token);
    assert.ok([503, 504].includes(passed.status), `upstream unavailable, got ${passed.status}`);
    assert.ok(stack.inventory.connections() > 0, "the seller's request reached the inventory address");
  });

  it("cross-user: user A's token never reaches user B's address (404), which stays unchanged", async () => {
    const a = await apiUser("ani@example.com");
    const b = await apiUser("bayu@example.com");
    const created = await call("POST", "/api/v1/me/addresses", b.tokens.access_token, address);
    assert.equal(created.status, 201);
    const id = String(((await created.json()) as { id: string }).id);

    const patched = await call("PATCH", `/api/v1/me/addresses/${id}`, a.tokens.access_token, { city: "X" });
    const deleted = await call("DELETE", `/api/v1/me/addresses/${id}`, a.tokens.access_token);
    for (const res of [patched, deleted]) {
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("content-type"), "application/problem+json; charset=utf-8");
    }
    const aList = (await (await call("GET", "/api/v1/me/addresses", a.tokens.access_token)).json()) as {
      items: unknown[];
    };
    assert.deepEqual(aList.items, []);
    const bList = (await (await call("GET", "/api/v1/me/addresses", b.tokens.access_token)).json()) as {
      items: { id: string; city: string }[];
    };
    assert.deepEqual(
      bList.items.map((x) => [x.id, x.city]),
      [[id, "Kota Bandung"]],
    );
    // Each token shows its own profile only.
    const meA = (await (await call("GET", "/api/v1/me", a.tokens.access_token)).json()) as { id: string };
    assert.equal(meA.id, a.id);
  });

  it("brute-force lockout surfaces on the login page served at {origin}/oauth2", async () => {
    await stack.register("locked@example.com", PASSWORD);
    const page = await openLogin(web, callback);
    assert.equal(page.status, 200);
    assert.ok(page.url.startsWith(`${stack.issuer}/interaction/`), page.url);
    // Threshold 3: two plain failures, and the third failure already answers with the lock.
    for (const expected of [401, 401, 429]) {
      const wrong = await submitLogin(page, "locked@example.com", "wrong password!");
      assert.equal(wrong.res.status, expected);
    }
    // Now even the right password is refused with the lock, not checked.
    const locked = await submitLogin(page, "locked@example.com", PASSWORD);
    assert.equal(locked.res.status, 429);
    assert.ok(Number(locked.res.headers.get("retry-after")) > 0);
    assert.match(locked.html, /Too many failed sign-in attempts\. Try again in \d+ seconds?\./);
    // Another account from the same address is not locked by it.
    await stack.register("neighbour@example.com", PASSWORD);
    const other = await signIn(web, {
      redirectUri: callback,
      email: "neighbour@example.com",
      password: PASSWORD,
    });
    assert.ok(other.access_token);
  });

  it("a password-reset token works once through POST /api/v1/password-resets/confirm", async () => {
    const id = await stack.register("lupa@example.com", PASSWORD);
    const requested = await fetch(`${stack.origin}/api/v1/password-resets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "lupa@example.com" }),
    });
    assert.equal(requested.status, 202);
    // The token exists only sealed in the event the notification service would email.
    const token = await stack.resetToken(id);

    const confirm = (newPassword: string) =>
      fetch(`${stack.origin}/api/v1/password-resets/confirm`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, new_password: newPassword }),
      });
    assert.equal((await confirm("Rendang-Padang-Enak-3")).status, 204);
    const reused = await confirm("Another-Good-Pass-44");
    assert.equal(reused.status, 422);
    assert.equal(((await reused.json()) as { code: string }).code, "INVALID_TOKEN");

    // The first reset holds: the new password signs in, the reuse's password does not.
    const tokens = await signIn(web, {
      redirectUri: callback,
      email: "lupa@example.com",
      password: "Rendang-Padang-Enak-3",
    });
    assert.equal(tokens.claims()?.sub, id);
    const page = await openLogin(web, callback);
    assert.equal((await submitLogin(page, "lupa@example.com", "Another-Good-Pass-44")).res.status, 401);
  });
});
