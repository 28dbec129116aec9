import assert from "node:assert/strict";
import { createDecipheriv, generateKeyPairSync, hkdfSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { TestDatabase } from "@toko/testing";
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, SignJWT } from "jose";
import { Browser } from "./identity-browser.ts";
import { type IdentityStack, KEY_ENCRYPTION_KEY, startIdentityStack } from "./identity-stack.ts";

// The issuer served at {origin}/oauth2 by the real gateway, proxying to the real oauth2 process,
// which checks passwords with the real user process: the flow a browser and an app go through.
const PASSWORD = "correct horse battery";

const pkce = async () => {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString("base64url") };
};

describe("OAuth 2 through the gateway: issuer at {origin}/oauth2, tokens accepted at /api/v1", () => {
  let stack: IdentityStack;
  let origin: string;

  before(async () => {
    stack = await startIdentityStack();
    origin = stack.origin;
    await stack.register("citra@example.com", PASSWORD);
  });

  after(() => stack?.close());

  /** Code + PKCE through the gateway; returns the token response (an API JWT via `resource`). */
  async function signIn(): Promise<{ access_token: string; refresh_token: string; id_token: string }> {
    const discovery = (await (
      await fetch(`${origin}/oauth2/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    const { verifier, challenge } = await pkce();
    const callback = `${origin}/callback`;
    const auth = new URL(discovery.authorization_endpoint ?? "");
    auth.search = new URLSearchParams({
      client_id: "toko-web",
      response_type: "code",
      redirect_uri: callback,
      scope: "openid email buyer",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "st",
    }).toString();
    const browser = new Browser();
    const page = await browser.follow(auth.href, callback);
    const html = (await page.response?.text()) ?? "";
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? "";
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const posted = await browser.fetch(new URL(action, page.url).href, {
      csrf,
      email: "citra@example.com",
      password: PASSWORD,
    });
    assert.equal(posted.status, 303);
    const done = await browser.follow(new URL(posted.headers.get("location") ?? "", page.url).href, callback);
    const code = new URL(done.url).searchParams.get("code") ?? "";
    const token = await fetch(discovery.token_endpoint ?? "", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: callback,
        client_id: "toko-web",
        code_verifier: verifier,
        resource: "urn:toko:api",
      }),
    });
    assert.equal(token.status, 200);
    return (await token.json()) as { access_token: string; refresh_token: string; id_token: string };
  }

  const me = (token: string) =>
    fetch(`${origin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

  it("serves discovery and JWKS for the public issuer", async () => {
    const res = await fetch(`${origin}/oauth2/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.equal(meta.issuer, `${origin}/oauth2`);
    assert.equal(meta.token_endpoint, `${origin}/oauth2/token`);
    const jwks = (await (await fetch(`${origin}/oauth2/jwks`)).json()) as { keys: unknown[] };
    assert.equal(jwks.keys.length, 1);
    // A client cannot move the issuer by sending its own X-Forwarded-* headers.
    const spoofed = await fetch(`${origin}/oauth2/.well-known/openid-configuration`, {
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    assert.equal(((await spoofed.json()) as { issuer: string }).issuer, `${origin}/oauth2`);
  });

  it("signs in with code + PKCE and calls GET /api/v1/me; refresh works across an oauth2 restart", async () => {
    const tokens = await signIn();
    const res = await me(tokens.access_token);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { email: string }).email, "citra@example.com");

    await stack.oauth2.stop();
    await stack.oauth2.start();
    const refreshed = await fetch(`${origin}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: "toko-web",
        resource: "urn:toko:api",
      }),
    });
    assert.equal(refreshed.status, 200);
    const next = (await refreshed.json()) as { access_token: string };
    assert.equal((await me(next.access_token)).status, 200);
  });

  it("answers 401 for a missing, wrong-audience, expired or forged token", async () => {
    const tokens = await signIn();
    const kid = decodeProtectedHeader(tokens.access_token).kid ?? "";
    const signingKey = await realSigningKey(stack.oauthDb, kid);
    const sub = String(decodeJwt(tokens.access_token).sub);
    const claims = { sub, roles: ["buyer"], scope: "buyer", client_id: "toko-web" };
    const sign = (key: Awaited<ReturnType<typeof importJWK>>, aud: string, exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid, typ: "at+jwt" })
        .setIssuer(`${origin}/oauth2`)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const stranger = await importJWK(privateKey.export({ format: "jwk" }) as JWK, "RS256");
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      "ID token (audience toko-web)": tokens.id_token,
      "wrong audience": await sign(signingKey, "some-other-api", now + 300),
      expired: await sign(signingKey, "toko-api", now - 600),
      forged: await sign(stranger, "toko-api", now + 300),
    };
    // Control: the same claims, correctly signed for the API, are accepted.
    assert.equal((await me(await sign(signingKey, "toko-api", now + 300))).status, 200);
    for (const [label, token] of Object.entries(cases)) {
      const res = await fetch(
        `${origin}/api/v1/me`,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
      assert.equal(res.status, 401, label);
      assert.equal(res.headers.get("content-type"), "application/problem+json; charset=utf-8", label);
    }
  });
});

/** The oauth2 signing key, unsealed the way the service stores it (HKDF → AES-256-GCM, kid as AAD). */
async function realSigningKey(db: TestDatabase, kid: string) {
  const { rows } = await db.pool.query<{ sealed_jwk: Buffer }>(
    "SELECT sealed_jwk FROM signing_keys WHERE kid = $1",
    [kid],
  );
  const sealed = rows[0]?.sealed_jwk;
  assert.ok(sealed);
  const key = Buffer.from(hkdfSync("sha256", KEY_ENCRYPTION_KEY, "toko-oauth2", "toko-oauth2:at-rest", 32));
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(sealed.subarray(12, 28));
  const jwk = JSON.parse(
    Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString(),
  ) as JWK;
  return importJWK(jwk, "RS256");
}
