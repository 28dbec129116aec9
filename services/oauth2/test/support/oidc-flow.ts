import * as oidc from "openid-client";
import { Browser, formAction, formField } from "./browser.ts";

/** Discovery for a public client over plain http (loopback test issuer). */
export function discover(issuer: string, clientId: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface LoginResult {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  browser: Browser;
}

export interface LoginOptions {
  redirectUri: string;
  email: string;
  password: string;
  scope?: string;
  /** Token request parameters, e.g. `{ resource }` for an API token. */
  tokenParameters?: Record<string, string>;
  browser?: Browser;
}

/**
 * The authorization code + PKCE flow the way a real client does it: openid-client builds the
 * request and exchanges the code; a cookie-keeping "browser" fills in the login form.
 */
export async function login(config: oidc.Configuration, options: LoginOptions): Promise<LoginResult> {
  const browser = options.browser ?? new Browser();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: options.scope ?? "openid profile email offline_access buyer",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const page = await browser.follow(authUrl.href, options.redirectUri);
  let callback = page.url;
  if (!callback.startsWith(options.redirectUri)) {
    const html = await page.response.text();
    const action = formAction(html);
    const csrf = formField(html, "csrf");
    if (!action || !csrf)
      throw new Error(
        `no login form at ${page.url} (${page.response.status}): ${html.slice(html.indexOf("<main>"), html.indexOf("<main>") + 400)}`,
      );
    const posted = await browser.fetch(new URL(action, page.url).href, {
      form: { csrf, email: options.email, password: options.password },
    });
    const location = posted.headers.get("location");
    if (posted.status !== 303 || !location) {
      throw new Error(`login failed with ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
    }
    callback = (await browser.follow(new URL(location, page.url).href, options.redirectUri)).url;
  }
  const tokens = await oidc.authorizationCodeGrant(
    config,
    new URL(callback),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
    options.tokenParameters,
  );
  return { tokens, browser };
}
