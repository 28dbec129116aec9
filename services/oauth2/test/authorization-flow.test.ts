import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { adminClient, asAdmin, ClientType } from "./support/admin-client.ts";
import { discover, login } from "./support/oidc-flow.ts";
import { type Stack, startStack } from "./support/stack.ts";

const API = { resource: "urn:toko:api" };
const PASSWORD = "correct horse battery";

describe("authorization code + PKCE, refresh rotation and restart (real user and oauth2 processes)", () => {
  let stack: Stack;
  let web: oidc.Configuration;
  let userId: string;
  let admin: ReturnType<typeof adminClient>;

  before(async () => {
    stack = await startStack();
    userId = await stack.register("ani@example.com", PASSWORD, "Ani");
    web = await discover(stack.issuer, "toko-web");
    admin = adminClient(stack);
  });
  after(async () => {
    admin?.close();
    await stack?.stop();
  });

  const jwks = () => createRemoteJWKSet(new URL(`${stack.issuer}/jwks`));
  const verifyApiToken = (token: string) =>
    jwtVerify(token, jwks(), { issuer: stack.issuer, audience: "toko-api" });

  it("publishes discovery for the issuer at {origin}/oauth2 with S256 only", () => {
    const meta = web.serverMetadata();
    assert.equal(meta.issuer, stack.issuer);
    assert.deepEqual(meta.code_challenge_methods_supported, ["S256"]);
    for (const endpoint of [
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "introspection_endpoint",
      "revocation_endpoint",
      "end_session_endpoint",
      "jwks_uri",
    ] as const) {
      assert.ok(String(meta[endpoint]).startsWith(`${stack.issuer}/`), endpoint);
    }
    assert.ok(meta.grant_types_supported?.includes("client_credentials"));
    assert.ok(!meta.grant_types_supported?.includes("password"));
  });

  it("signs in through the login form, then serves userinfo, API JWTs, rotation, introspection and a restart", async () => {
    const { tokens } = await login(web, {
      redirectUri: `${stack.origin}/callback`,
      email: "Ani@Example.com",
      password: PASSWORD,
    });
    assert.equal(tokens.claims()?.sub, userId);
    // The plain flow's access token (no `resource` anywhere) is an API JWT that userinfo accepts.
    const plain = (await verifyApiToken(tokens.access_token)).payload;
    assert.deepEqual(plain.aud, ["toko-api", `${stack.issuer}/me`]);
    assert.equal(plain.scope, "openid profile email buyer");
    assert.deepEqual(plain.roles, ["buyer"]);
    const info = await oidc.fetchUserInfo(web, tokens.access_token, userId);
    assert.equal(info.email, "ani@example.com");
    assert.equal(info.name, "Ani");
    const first = tokens.refresh_token ?? "";
    assert.ok(first);

    // Refresh for the Toko API: a short-lived JWT with roles and scopes, and a new refresh token.
    const api = await oidc.refreshTokenGrant(web, first, API);
    assert.notEqual(api.refresh_token, first);
    const { payload, protectedHeader } = await verifyApiToken(api.access_token);
    assert.equal(protectedHeader.typ, "at+jwt");
    assert.equal(payload.sub, userId);
    assert.deepEqual(payload.roles, ["buyer"]);
    assert.equal(payload.scope, "openid profile email buyer");
    assert.equal(payload.client_id, "toko-web");
    assert.ok((payload.exp ?? 0) - (payload.iat ?? 0) <= 600);

    const active = await oidc.tokenIntrospection(web, api.refresh_token ?? "");
    assert.equal(active.active, true);
    assert.equal(active.sub, userId);

    // A real restart of the oauth2 process mid-session: the refresh token still works.
    const kidBefore = decodeProtectedHeader(api.access_token).kid;
    assert.equal(await stack.oauth2.stop(), 0, stack.oauth2.logs());
    // No outbox, so no bus, relay or "no event bus" warning despite BUS_DATABASE_URL.
    assert.doesNotMatch(stack.oauth2.logs(), /event bus|outbox|relay/i);
    await stack.oauth2.start();
    const afterRestart = await oidc.refreshTokenGrant(web, api.refresh_token ?? "", API);
    assert.equal(decodeProtectedHeader(afterRestart.access_token).kid, kidBefore, "the signing key survived");
    assert.equal((await verifyApiToken(afterRestart.access_token)).payload.sub, userId);

    // Reusing a rotated refresh token is theft: refused, and the whole grant is revoked.
    await assert.rejects(
      oidc.refreshTokenGrant(web, first, API),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
    await assert.rejects(
      oidc.refreshTokenGrant(web, afterRestart.refresh_token ?? "", API),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
    assert.equal((await oidc.tokenIntrospection(web, afterRestart.refresh_token ?? "")).active, false);
  });

  it("userinfo answers an API token by its OIDC scopes, and refuses forged and non-OIDC tokens", async () => {
    const { tokens } = await login(web, {
      redirectUri: `${stack.origin}/callback`,
      email: "ani@example.com",
      password: PASSWORD,
      scope: "openid email buyer",
    });
    const userinfo = `${stack.issuer}/me`;
    const call = (token: string, method = "GET") =>
      fetch(userinfo, { method, headers: { authorization: `Bearer ${token}` } });
    for (const method of ["GET", "POST"]) {
      const res = await call(tokens.access_token, method);
      assert.equal(res.status, 200, method);
      assert.equal(res.headers.get("cache-control"), "no-store");
      // `email` was granted, `profile` was not: no name.
      assert.deepEqual(await res.json(), { sub: userId, email: "ani@example.com", email_verified: false });
    }

    // RFC 6750 §2.2: the token in a POST form body instead of the header.
    const inBody = await fetch(userinfo, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: tokens.access_token }),
    });
    assert.equal(inBody.status, 200);
    assert.equal(((await inBody.json()) as { sub: string }).sub, userId);

    // The same claims under a key the issuer never published: refused with a Bearer challenge.
    const [header = "", payload = ""] = tokens.access_token.split(".");
    const forged = `${header}.${payload}.${Buffer.from("not the signature").toString("base64url")}`;
    const refused = await call(forged);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer .*error="invalid_token"/);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_token");

    // A token for the API alone (a refresh narrowed to `buyer`: no `openid`) does not name userinfo.
    const apiOnly = await oidc.refreshTokenGrant(web, tokens.refresh_token ?? "", { scope: "buyer" });
    const narrowed = (await verifyApiToken(apiOnly.access_token)).payload;
    assert.deepEqual([narrowed.aud, narrowed.scope], ["toko-api", "buyer"]);
    assert.equal((await call(apiOnly.access_token)).status, 401);
  });

  it("revokes a refresh token (RFC 7009)", async () => {
    const { tokens } = await login(web, {
      redirectUri: `${stack.origin}/callback`,
      email: "ani@example.com",
      password: PASSWORD,
    });
    await oidc.tokenRevocation(web, tokens.refresh_token ?? "");
    assert.equal((await oidc.tokenIntrospection(web, tokens.refresh_token ?? "")).active, false);
    await assert.rejects(
      oidc.refreshTokenGrant(web, tokens.refresh_token ?? "", API),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
  });

  it("lets toko-cli use a loopback redirect on any port, without consent", async () => {
    const cli = await discover(stack.issuer, "toko-cli");
    const { tokens } = await login(cli, {
      redirectUri: "http://127.0.0.1:53117/callback",
      email: "ani@example.com",
      password: PASSWORD,
      tokenParameters: API,
    });
    assert.equal((await verifyApiToken(tokens.access_token)).payload.client_id, "toko-cli");
  });

  it("issues client_credentials tokens to a registered service account, until it is disabled", async () => {
    const { client, clientSecret } = await admin.registerClient(
      {
        clientId: "report-bot",
        name: "Report bot",
        type: ClientType.CLIENT_TYPE_CONFIDENTIAL,
        redirectUris: [],
        postLogoutRedirectUris: [],
        grantTypes: ["client_credentials"],
        scopes: ["seller"],
        firstParty: false,
        applicationType: "",
      },
      asAdmin,
    );
    assert.equal(client?.clientId, "report-bot");
    assert.ok(clientSecret.length >= 40);
    const bot = await oidc.discovery(
      new URL(stack.issuer),
      "report-bot",
      undefined,
      oidc.ClientSecretBasic(clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const granted = await oidc.clientCredentialsGrant(bot, { scope: "seller" });
    const { payload } = await verifyApiToken(granted.access_token);
    assert.equal(payload.sub, "report-bot");
    assert.equal(payload.scope, "seller");
    // A scope it was not registered with is simply not granted (RFC 6749 §3.3).
    const narrowed = await oidc.clientCredentialsGrant(bot, { scope: "admin" });
    assert.equal((await verifyApiToken(narrowed.access_token)).payload.scope, undefined);

    const listed = await admin.listClients({}, asAdmin);
    assert.deepEqual(
      listed.clients.map((c) => c.clientId),
      ["report-bot", "toko-cli", "toko-web"],
    );
    const disabled = await admin.disableClient({ clientId: "report-bot" }, asAdmin);
    assert.equal(disabled.client?.disabled, true);
    // invalid_client, as a 401 challenge.
    await assert.rejects(
      oidc.clientCredentialsGrant(bot, { scope: "seller" }),
      (e: oidc.WWWAuthenticateChallengeError) =>
        e.status === 401 && e.cause[0]?.parameters.error === "invalid_client",
    );
  });

  it("refuses the admin API to anyone but an admin", async () => {
    await assert.rejects(admin.listClients({}, { principal: null }), { code: "UNAUTHENTICATED" });
    await assert.rejects(
      admin.listClients({}, { principal: { subject: userId, roles: ["buyer"], scopes: ["buyer"] } }),
      {
        code: "FORBIDDEN",
      },
    );
    await assert.rejects(
      admin.registerClient(
        {
          clientId: "Bad Id",
          name: "",
          type: ClientType.CLIENT_TYPE_PUBLIC,
          redirectUris: ["http://evil.example/cb"],
          postLogoutRedirectUris: [],
          grantTypes: [],
          scopes: [],
          firstParty: false,
          applicationType: "",
        },
        asAdmin,
      ),
      (e: Error & { code?: string; violations?: { field: string }[] }) =>
        e.code === "VALIDATION_FAILED" &&
        ["client_id", "name", "redirect_uris[0]"].every((f) => e.violations?.some((v) => v.field === f)),
    );
  });

  it("rotates the signing key and keeps the previous one in the JWKS", async () => {
    const before = await oidc.refreshTokenGrant(
      web,
      (
        await login(web, {
          redirectUri: `${stack.origin}/callback`,
          email: "ani@example.com",
          password: PASSWORD,
        })
      ).tokens.refresh_token ?? "",
      API,
    );
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    const rotated = await admin.rotateSigningKey({}, asAdmin);
    assert.notEqual(rotated.kid, oldKid);
    assert.deepEqual(rotated.publishedKids, [rotated.kid, oldKid]);
    const published = (await (await fetch(`${stack.issuer}/jwks`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    assert.deepEqual(published.keys.map((k) => k.kid).sort(), [rotated.kid, oldKid].sort());
    assert.ok(
      published.keys.every((k) => k.d === undefined),
      "no private parts published",
    );
    const next = await oidc.refreshTokenGrant(web, before.refresh_token ?? "", API);
    assert.equal(decodeProtectedHeader(next.access_token).kid, rotated.kid);
    // Tokens signed before the rotation still verify until they expire, at the API and userinfo.
    await verifyApiToken(before.access_token);
    await verifyApiToken(next.access_token);
    assert.equal((await oidc.fetchUserInfo(web, before.access_token, userId)).sub, userId);
  });
});
