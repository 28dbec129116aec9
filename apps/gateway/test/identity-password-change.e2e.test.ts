import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase, waitFor } from "@toko/testing";
import * as oidc from "openid-client";
import { Browser, openLogin, signIn } from "./identity-browser.ts";
import { discoverVia, type IdentityStack, startIdentityStack } from "./identity-stack.ts";

// A password reset ends every session and refresh token of the account: the user service
// publishes PasswordChanged on the bus, the authorization server consumes it and revokes.
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "Rendang-Padang-Enak-3";

describe("a password reset signs the account out everywhere (real user, oauth2, bus, gateway)", () => {
  let bus: TestDatabase;
  let stack: IdentityStack;
  let web: oidc.Configuration;
  let callback: string;

  before(async () => {
    bus = await createTestDatabase();
    const named = { EVENT_BUS: "postgres", BUS_DATABASE_URL: bus.url };
    stack = await startIdentityStack(named, {}, named);
    web = await discoverVia(stack.issuer, "toko-web");
    callback = `${stack.origin}/callback`;
  });
  after(async () => {
    await stack?.close();
    await bus?.drop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${stack.origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("refuses the old refresh token and shows the login page to the old session", async () => {
    const id = await stack.register("ganti@example.com", PASSWORD);
    const browser = new Browser();
    const tokens = await signIn(web, {
      redirectUri: callback,
      email: "ganti@example.com",
      password: PASSWORD,
      browser,
    });
    const refreshToken = tokens.refresh_token ?? "";
    assert.ok(refreshToken, "a refresh token in hand");
    // Control: the session skips the login page while it lives.
    assert.equal((await openLogin(web, callback, undefined, browser)).status, 0);

    assert.equal((await post("/api/v1/password-resets", { email: "ganti@example.com" })).status, 202);
    const token = await stack.resetToken(id);
    assert.equal(
      (await post("/api/v1/password-resets/confirm", { token, new_password: NEW_PASSWORD })).status,
      204,
    );
    // The authorization server handled the event (its inbox says so).
    await waitFor(async () => {
      const { rows } = await stack.oauthDb.pool.query(
        "SELECT 1 FROM kit_inbox WHERE group_name = 'oauth2.accounts'",
      );
      return rows.length > 0;
    }, "oauth2 to handle PasswordChanged");

    await assert.rejects(oidc.refreshTokenGrant(web, refreshToken), (error: unknown) => {
      assert.equal((error as { error?: string }).error, "invalid_grant");
      return true;
    });
    const page = await openLogin(web, callback, undefined, browser);
    assert.equal(page.status, 200);
    assert.match(page.html, /name="password"/, "the old session must sign in again");

    // The new password signs in, and that new session is not touched.
    const fresh = await signIn(web, {
      redirectUri: callback,
      email: "ganti@example.com",
      password: NEW_PASSWORD,
      browser,
    });
    assert.ok(fresh.refresh_token);
    const rotated = await oidc.refreshTokenGrant(web, fresh.refresh_token ?? "");
    assert.ok(rotated.access_token);
  });
});
