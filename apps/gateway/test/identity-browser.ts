import * as oidc from "openid-client";

/** A minimal browser: a cookie jar and manual redirects, so a test sees every hop. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request (e.g. the X-Forwarded-For a trusted proxy would add). */
  constructor(private readonly headers: Record<string, string> = {}) {}

  async fetch(url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers };
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (jar) headers.cookie = jar;
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: "manual",
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects from `url` until one points at `stopAt` (returned) or a page is served. */
  async follow(url: string, stopAt: string): Promise<{ url: string; response?: Response }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      if (current.startsWith(stopAt)) return { url: current };
      const response = await this.fetch(current);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.arrayBuffer();
      current = new URL(location, current).href;
    }
    throw new Error("too many redirects");
  }
}

/** A login page reached through an authorization request, ready to be submitted. */
export interface LoginPage {
  browser: Browser;
  url: string;
  status: number;
  html: string;
  action: string;
  csrf: string;
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
}

const unescapeAmp = (v: string | undefined) => v?.replaceAll("&amp;", "&") ?? "";

/** Builds the authorization request with openid-client (code + PKCE S256) and opens the login page. */
export async function openLogin(
  config: oidc.Configuration,
  redirectUri: string,
  scope = "openid email offline_access buyer",
  browser: Browser = new Browser(),
): Promise<LoginPage> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const page = await browser.follow(url.href, redirectUri);
  const html = (await page.response?.text()) ?? "";
  return {
    browser,
    url: page.url,
    status: page.response?.status ?? 0,
    html,
    action: new URL(unescapeAmp(/<form[^>]*action="([^"]+)"/.exec(html)?.[1]), page.url).href,
    csrf: unescapeAmp(/<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html)?.[1]),
    verifier,
    state,
    nonce,
    redirectUri,
  };
}

/** Posts the login form; returns the response and its page text. */
export async function submitLogin(page: LoginPage, email: string, password: string) {
  const res = await page.browser.fetch(page.action, { csrf: page.csrf, email, password });
  return { res, html: await res.text() };
}

/** The whole code + PKCE flow; `tokenParameters` e.g. `{ resource: "urn:toko:api" }` for an API JWT. */
export async function signIn(
  config: oidc.Configuration,
  options: {
    redirectUri: string;
    email: string;
    password: string;
    scope?: string;
    tokenParameters?: Record<string, string>;
    /** The browser to sign in with (its cookies keep the sign-in session); a fresh one by default. */
    browser?: Browser;
  },
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const page = await openLogin(config, options.redirectUri, options.scope, options.browser);
  const posted = await submitLogin(page, options.email, options.password);
  const location = posted.res.headers.get("location");
  if (posted.res.status !== 303 || !location) throw new Error(`login failed with ${posted.res.status}`);
  const done = await page.browser.follow(new URL(location, page.url).href, options.redirectUri);
  return oidc.authorizationCodeGrant(
    config,
    new URL(done.url),
    {
      pkceCodeVerifier: page.verifier,
      expectedState: page.state,
      expectedNonce: page.nonce,
      idTokenExpected: true,
    },
    options.tokenParameters,
  );
}
