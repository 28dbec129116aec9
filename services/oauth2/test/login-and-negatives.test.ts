import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as oidc from "openid-client";
import { adminClient, asAdmin, ClientType } from "./support/admin-client.ts";
import { Browser, formAction, formField } from "./support/browser.ts";
import { discover, login } from "./support/oidc-flow.ts";
import { type Stack, startStack } from "./support/stack.ts";

const PASSWORD = "correct horse battery";

describe("login page, consent and refused requests (real user and oauth2 processes)", () => {
  let stack: Stack;
  let web: oidc.Configuration;
  let callback: string;

  before(async () => {
    stack = await startStack({ userEnv: { USER_LOCKOUT_ACCOUNT_THRESHOLD: "3" } });
    await stack.register("budi@example.com", PASSWORD, "Budi");
    await stack.register("locked@example.com", PASSWORD, "Locked");
    web = await discover(stack.issuer, "toko-web");
    callback = `${stack.origin}/callback`;
  });
  after(async () => {
    await stack?.stop();
  });

  /** Starts an authorization request and returns the login page. */
  async function openLogin(browser: Browser, params: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: callback,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      ...params,
    });
    const { url: pageUrl, response } = await browser.follow(url.href, callback);
    const html = await response.text();
    return { pageUrl, response, html, verifier };
  }

  async function submit(
    browser: Browser,
    page: { pageUrl: string; html: string },
    fields: Record<string, string>,
  ) {
    const action = formAction(page.html) ?? "";
    const res = await browser.fetch(new URL(action, page.pageUrl).href, { form: fields });
    return { res, html: await res.text() };
  }

  it("serves an accessible, CSRF-protected login form", async () => {
    const { response, html } = await openLogin(new Browser());
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.match(html, /<html lang="en">/);
    assert.match(
      html,
      /<label for="email">Email<\/label>\s*<input id="email" name="email" type="email" autocomplete="username"/,
    );
    assert.match(
      html,
      /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/,
    );
    assert.ok(formField(html, "csrf"));
  });

  it("refuses a submission without the CSRF token", async () => {
    const browser = new Browser();
    const page = await openLogin(browser);
    const { res } = await submit(browser, page, { email: "budi@example.com", password: PASSWORD });
    assert.equal(res.status, 403);
    const forged = await submit(browser, page, {
      csrf: "x".repeat(43),
      email: "budi@example.com",
      password: PASSWORD,
    });
    assert.equal(forged.res.status, 403);
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    const browser = new Browser();
    const page = await openLogin(browser);
    const csrf = formField(page.html, "csrf") ?? "";
    const wrong = await submit(browser, page, {
      csrf,
      email: "budi@example.com",
      password: "not the password",
    });
    const unknown = await submit(browser, page, {
      csrf,
      email: "nobody@example.com",
      password: "not the password",
    });
    assert.equal(wrong.res.status, 401);
    assert.equal(unknown.res.status, 401);
    const alert = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];
    assert.equal(alert(wrong.html), "The email or password is incorrect.");
    assert.equal(alert(unknown.html), alert(wrong.html));
    assert.match(wrong.html, /aria-invalid="true"/);
    assert.equal(formField(wrong.html, "email"), "budi@example.com", "the email is kept for another try");
  });

  it("shows the lockout after repeated failures, even for the right password", async () => {
    const browser = new Browser();
    const page = await openLogin(browser);
    const csrf = formField(page.html, "csrf") ?? "";
    for (let i = 0; i < 3; i++)
      await submit(browser, page, { csrf, email: "locked@example.com", password: "wrong password!" });
    const locked = await submit(browser, page, { csrf, email: "locked@example.com", password: PASSWORD });
    assert.equal(locked.res.status, 429);
    assert.ok(Number(locked.res.headers.get("retry-after")) > 0);
    assert.match(locked.html, /Too many failed sign-in attempts\. Try again in \d+ seconds?\./);
  });

  it("refuses an unregistered redirect URI without redirecting to it", async () => {
    const { response, html } = await openLogin(new Browser(), {
      redirect_uri: `${stack.origin}/callback/evil`,
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("location"), null);
    assert.match(html, /redirect_uri/);
  });

  it("requires PKCE with S256: a missing or plain challenge is refused", async () => {
    const cases: Record<string, string>[] = [
      {},
      { code_challenge: "a".repeat(43), code_challenge_method: "plain" },
    ];
    for (const params of cases) {
      const url = oidc.buildAuthorizationUrl(web, { redirect_uri: callback, scope: "openid", ...params });
      const res = await new Browser().fetch(url.href);
      const location = new URL(res.headers.get("location") ?? "", stack.origin);
      assert.equal(location.origin + location.pathname, callback);
      assert.equal(location.searchParams.get("error"), "invalid_request");
      assert.match(location.searchParams.get("error_description") ?? "", /PKCE|code_challenge/);
    }
  });

  it("refuses a replayed authorization code and revokes what the first use issued", async () => {
    const browser = new Browser();
    const page = await openLogin(browser, { scope: "openid email", state: "s1" });
    const csrf = formField(page.html, "csrf") ?? "";
    const posted = await submit(browser, page, { csrf, email: "budi@example.com", password: PASSWORD });
    assert.equal(posted.res.status, 303);
    const { url } = await browser.follow(
      new URL(posted.res.headers.get("location") ?? "", page.pageUrl).href,
      callback,
    );
    const code = new URL(url).searchParams.get("code") ?? "";
    const exchange = () =>
      fetch(web.serverMetadata().token_endpoint ?? "", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: callback,
          client_id: "toko-web",
          code_verifier: page.verifier,
        }),
      });
    const first = await exchange();
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as { refresh_token: string };
    const replay = await exchange();
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, "invalid_grant");
    assert.equal((await oidc.tokenIntrospection(web, tokens.refresh_token)).active, false);
  });

  it("never grants an API scope the user's roles do not allow", async () => {
    const { tokens } = await login(web, {
      redirectUri: callback,
      email: "budi@example.com",
      password: PASSWORD,
      scope: "openid buyer seller admin",
      tokenParameters: { resource: "urn:toko:api" },
    });
    assert.equal(tokens.scope, "buyer");
  });

  it("asks for consent for a third-party client; deny returns access_denied", async () => {
    const admin = adminClient(stack);
    try {
      await admin.registerClient(
        {
          clientId: "partner-app",
          name: "Partner <App>",
          type: ClientType.CLIENT_TYPE_PUBLIC,
          redirectUris: ["https://partner.example/cb"],
          postLogoutRedirectUris: [],
          grantTypes: [],
          scopes: ["openid", "email", "buyer"],
          firstParty: false,
          applicationType: "web",
        },
        asAdmin,
      );
    } finally {
      admin.close();
    }
    const partner = await discover(stack.issuer, "partner-app");
    for (const decision of ["allow", "deny"]) {
      const browser = new Browser();
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(partner, {
        redirect_uri: "https://partner.example/cb",
        scope: "openid email buyer",
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      });
      const loginPage = await browser.follow(url.href, "https://partner.example/cb");
      const loginHtml = await loginPage.response.text();
      assert.match(loginHtml, /Sign in to continue to Partner &lt;App&gt;/);
      const posted = await submit(
        browser,
        { pageUrl: loginPage.url, html: loginHtml },
        {
          csrf: formField(loginHtml, "csrf") ?? "",
          email: "budi@example.com",
          password: PASSWORD,
        },
      );
      const consent = await browser.follow(
        new URL(posted.res.headers.get("location") ?? "", loginPage.url).href,
        "https://partner.example/cb",
      );
      const consentHtml = await consent.response.text();
      assert.match(consentHtml, /Partner &lt;App&gt; wants to access your Toko account/);
      assert.match(consentHtml, /Shop on your behalf/);
      const answered = await submit(
        browser,
        { pageUrl: consent.url, html: consentHtml },
        {
          csrf: formField(consentHtml, "csrf") ?? "",
          decision,
        },
      );
      const done = await browser.follow(
        new URL(answered.res.headers.get("location") ?? "", consent.url).href,
        "https://partner.example/cb",
      );
      const result = new URL(done.url).searchParams;
      if (decision === "allow") assert.ok(result.get("code"));
      else assert.equal(result.get("error"), "access_denied");
    }
  });
});
