import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ClientType } from "@toko/contracts/toko/oauth2/v1/oauth2";
import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { signIn } from "./identity-browser.ts";
import { discoverVia, type IdentityStack, startIdentityStack } from "./identity-stack.ts";

// A confidential (server-side) client talks to the issuer at {origin}/oauth2 through the real
// gateway: HTTP Basic client authentication and bearer tokens must reach oidc-provider untouched.
const PASSWORD = "correct horse battery";
const API = { resource: "urn:toko:api" };
const asAdmin = { principal: { subject: "test-admin", roles: ["admin"], scopes: [] } };

describe("a confidential client through the gateway's /oauth2 proxy (real user, oauth2, gateway)", () => {
  let stack: IdentityStack;
  let partner: oidc.Configuration;
  let secret: string;
  let userId: string;
  let redirectUri: string;

  before(async () => {
    stack = await startIdentityStack();
    userId = await stack.register("dewi@example.com", PASSWORD);
    redirectUri = `${stack.origin}/partner/callback`;
    const registered = await stack.admin.registerClient(
      {
        clientId: "partner-app",
        name: "Partner app",
        type: ClientType.CLIENT_TYPE_CONFIDENTIAL,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [],
        grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
        scopes: ["openid", "email", "offline_access", "buyer", "seller"],
        firstParty: true,
        applicationType: "web",
      },
      asAdmin,
    );
    secret = registered.clientSecret;
    assert.ok(secret.length >= 40);
    partner = await discoverVia(stack.issuer, "partner-app", oidc.ClientSecretBasic(secret));
  });
  after(async () => {
    await stack?.close();
  });

  it("discovers the issuer at {origin}/oauth2 with Basic client authentication", () => {
    const meta = partner.serverMetadata();
    assert.equal(meta.issuer, stack.issuer);
    assert.equal(meta.token_endpoint, `${stack.issuer}/token`);
    assert.ok(meta.token_endpoint_auth_methods_supported?.includes("client_secret_basic"));
  });

  it("client_credentials with HTTP Basic; its API JWT is self-contained (not introspectable)", async () => {
    const granted = await oidc.clientCredentialsGrant(partner, { scope: "seller", ...API });
    const claims = decodeJwt(granted.access_token);
    assert.equal(claims.sub, "partner-app");
    assert.equal(claims.aud, "toko-api");
    assert.equal(claims.scope, "seller");

    // Authenticated, the client learns that a JWT access token is verified, not looked up
    // (oidc-provider refuses structured tokens at introspection and revocation).
    for (const attempt of [
      () => oidc.tokenIntrospection(partner, granted.access_token),
      () => oidc.tokenRevocation(partner, granted.access_token),
    ]) {
      await assert.rejects(attempt(), (e: oidc.ResponseBodyError) => {
        assert.equal(e.status, 400);
        assert.equal(e.error, "unsupported_token_type");
        return true;
      });
    }

    // The Basic header really is what authenticates: a wrong secret is invalid_client (401).
    const impostor = await discoverVia(stack.issuer, "partner-app", oidc.ClientSecretBasic(`${secret}x`));
    for (const attempt of [
      () => oidc.clientCredentialsGrant(impostor, { scope: "seller", ...API }),
      () => oidc.tokenIntrospection(impostor, granted.access_token),
      () => oidc.tokenRevocation(impostor, granted.access_token),
    ]) {
      await assert.rejects(attempt(), (e: oidc.WWWAuthenticateChallengeError | oidc.ResponseBodyError) => {
        assert.equal(e.status, 401);
        assert.equal(
          e instanceof oidc.ResponseBodyError ? e.error : e.cause[0]?.parameters.error,
          "invalid_client",
        );
        return true;
      });
    }
  });

  it("code flow with Basic at the token endpoint; userinfo, the API, introspection and revocation", async () => {
    const tokens = await signIn(partner, {
      redirectUri,
      email: "dewi@example.com",
      password: PASSWORD,
      scope: "openid email offline_access buyer",
    });
    assert.equal(tokens.claims()?.sub, userId);

    // The plain flow's access token is an API JWT: userinfo (forwarded as is by the gateway)
    // and the API both accept it.
    const info = await oidc.fetchUserInfo(partner, tokens.access_token, userId);
    assert.equal(info.email, "dewi@example.com");
    const me = await fetch(`${stack.origin}/api/v1/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { id: string }).id, userId);
    // A bad bearer token is refused by the authorization server itself (RFC 6750 JSON error),
    // not by the gateway's JWT check (which would answer problem+json).
    const refused = await fetch(`${stack.issuer}/me`, { headers: { authorization: "Bearer not-a-token" } });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_token");

    // Introspection with Basic: the refresh token (the JWT is verified, not looked up).
    const refresh = await oidc.tokenIntrospection(partner, tokens.refresh_token ?? "");
    assert.equal(refresh.active, true);
    assert.equal(refresh.sub, userId);
    assert.equal(refresh.client_id, "partner-app");

    // Refresh (Basic again, no `resource`, or with it: both give API tokens).
    const plain = await oidc.refreshTokenGrant(partner, tokens.refresh_token ?? "");
    assert.equal(decodeJwt(plain.access_token).aud?.[0], "toko-api");
    const api = await oidc.refreshTokenGrant(partner, plain.refresh_token ?? "", API);
    assert.equal(decodeJwt(api.access_token).sub, userId);

    // Revoking the refresh token (Basic) ends the grant: refresh stops working.
    const current = api.refresh_token ?? "";
    await oidc.tokenRevocation(partner, current);
    assert.equal((await oidc.tokenIntrospection(partner, current)).active, false);
    await assert.rejects(
      oidc.refreshTokenGrant(partner, current, API),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
  });
});
