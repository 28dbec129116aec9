import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type * as oidc from "openid-client";
import { Browser, openLogin, signIn, submitLogin } from "./identity-browser.ts";
import { discoverVia, type IdentityStack, startIdentityStack } from "./identity-stack.ts";

// Behind an ingress: the test is the trusted proxy (loopback) and names each client in
// X-Forwarded-For. Sign-in lockout and the stricter per-route budgets key on that client.
const PASSWORD = "correct horse battery";
const from = (address: string) => ({ "x-forwarded-for": address });

describe("client addresses behind a trusted proxy (real user, oauth2, gateway)", () => {
  let stack: IdentityStack;
  let web: oidc.Configuration;
  let callback: string;

  before(async () => {
    stack = await startIdentityStack(
      { USER_LOCKOUT_ADDRESS_THRESHOLD: "3", USER_LOCKOUT_ACCOUNT_THRESHOLD: "50" },
      {
        TOKO_TRUSTED_PROXIES: "127.0.0.1,::1",
        TOKO_RATE_LIMIT_LOGIN: "6",
        TOKO_RATE_LIMIT_REGISTER: "3",
        TOKO_RATE_LIMIT_PASSWORD_RESET: "2",
      },
    );
    web = await discoverVia(stack.issuer, "toko-web");
    callback = `${stack.origin}/callback`;
  });
  after(async () => {
    await stack?.close();
  });

  const post = (path: string, body: unknown, address: string) =>
    fetch(`${stack.origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...from(address) },
      body: JSON.stringify(body),
    });

  const register = async (email: string, address: string) => {
    const res = await post("/api/v1/users", { email, password: PASSWORD, name: "Siti" }, address);
    assert.equal(res.status, 201, await res.text());
  };

  async function assertRateLimited(res: Response, limit: string, body?: string) {
    assert.equal(res.status, 429);
    assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
    assert.equal((JSON.parse(body ?? (await res.text())) as { code: string }).code, "RATE_LIMITED");
    assert.ok(Number(res.headers.get("retry-after")) >= 1);
    assert.equal(res.headers.get("ratelimit-limit"), limit);
    assert.equal(res.headers.get("ratelimit-remaining"), "0");
  }

  it("one address's typos lock that address, not another address's sign-in", async () => {
    await register("dewi@example.com", "198.51.100.7");
    const typist = "203.0.113.10";
    // Threshold 3 per address: typos on three different accounts lock the address.
    for (const [i, expected] of [401, 401, 429].entries()) {
      const page = await openLogin(web, callback, undefined, new Browser(from(typist)));
      const { res } = await submitLogin(page, `nobody${i}@example.com`, "wrong password!");
      assert.equal(res.status, expected);
    }
    const lockedOut = await openLogin(web, callback, undefined, new Browser(from(typist)));
    assert.equal((await submitLogin(lockedOut, "dewi@example.com", PASSWORD)).res.status, 429);

    // The account itself is not locked: from another address it signs in.
    const tokens = await signIn(web, {
      redirectUri: callback,
      email: "dewi@example.com",
      password: PASSWORD,
      browser: new Browser(from("198.51.100.7")),
    });
    assert.ok(tokens.access_token);
  });

  it("login form posts have their own budget per client address", async () => {
    await register("budi@example.com", "198.51.100.8");
    const page = await openLogin(web, callback, undefined, new Browser(from("203.0.113.20")));
    // Six posts pass the gateway (the user service locks the address after three failures).
    for (let i = 0; i < 6; i++) {
      const { res } = await submitLogin(page, "budi@example.com", "wrong password!");
      assert.ok(res.status === 401 || res.status === 429, String(res.status));
      assert.match(res.headers.get("content-type") ?? "", /html/);
    }
    const { res, html } = await submitLogin(page, "budi@example.com", PASSWORD);
    await assertRateLimited(res, "6", html);
    // Another address is unaffected.
    const tokens = await signIn(web, {
      redirectUri: callback,
      email: "budi@example.com",
      password: PASSWORD,
      browser: new Browser(from("198.51.100.8")),
    });
    assert.ok(tokens.access_token);
  });

  it("registration has its own, stricter budget per client", async () => {
    const address = "203.0.113.30";
    for (let i = 0; i < 3; i++) await register(`many${i}@example.com`, address);
    await assertRateLimited(
      await post("/api/v1/users", { email: "many3@example.com", password: PASSWORD, name: "X" }, address),
      "3",
    );
    await register("many3@example.com", "203.0.113.31");
  });

  it("password reset requests and confirmations have their own budgets per client", async () => {
    const address = "203.0.113.40";
    for (let i = 0; i < 2; i++) {
      assert.equal(
        (await post("/api/v1/password-resets", { email: "dewi@example.com" }, address)).status,
        202,
      );
    }
    await assertRateLimited(
      await post("/api/v1/password-resets", { email: "dewi@example.com" }, address),
      "2",
    );
    const confirm = { token: "A".repeat(43), new_password: "Rendang-Padang-Enak-3" };
    for (let i = 0; i < 2; i++) {
      assert.equal((await post("/api/v1/password-resets/confirm", confirm, address)).status, 422);
    }
    await assertRateLimited(await post("/api/v1/password-resets/confirm", confirm, address), "2");
    assert.equal(
      (await post("/api/v1/password-resets", { email: "dewi@example.com" }, "203.0.113.41")).status,
      202,
    );
  });
});
