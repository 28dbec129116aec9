import { createHash, randomBytes } from "node:crypto";

/** One answered request: what the load report counts. */
export interface Sample {
  /** The route's name in the report, e.g. "GET /products/{id}". */
  name: string;
  status: number;
  ms: number;
  at: number;
}

export type Json = Record<string, unknown>;

export interface ApiResponse {
  status: number;
  body: Json;
}

/** What every request reports to (the load run's recorder). */
export type Recorder = (sample: Sample) => void;

const REQUEST_TIMEOUT_MS = 30_000;

/** A small JSON client of the public API; every call is timed and reported under its route name. */
export class Api {
  constructor(
    readonly origin: string,
    private readonly record: Recorder,
  ) {}

  /** Records a step that was not one API request (e.g. the sign-in's several hops). */
  report(name: string, status: number, ms: number): void {
    this.record({ name, status, ms, at: Date.now() - ms });
  }

  async call(
    name: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const started = performance.now();
    const at = Date.now();
    let status = 0;
    try {
      const res = await fetch(`${this.origin}${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      const text = await res.text();
      let body: Json = {};
      if (text.startsWith("{")) {
        try {
          body = JSON.parse(text) as Json;
        } catch {
          body = {};
        }
      }
      return { status, body };
    } catch {
      // Status 0: no answer (connection refused or reset, or the timeout).
      return { status: 0, body: {} };
    } finally {
      this.record({ name, status, ms: performance.now() - started, at });
    }
  }
}

/** A cookie jar and manual redirects: the few browser traits the sign-in flow needs. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

const base64url = (b: Buffer) => b.toString("base64url");
const decodeAmp = (s: string) => s.replaceAll("&amp;", "&");

/** The sign-in as a first-party public client does it: authorization code + PKCE S256. */
export async function signIn(
  origin: string,
  email: string,
  password: string,
  scope: string,
  clientId = "toko-cli",
): Promise<string> {
  const redirectUri = "http://127.0.0.1/callback";
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const state = base64url(randomBytes(12));
  const authorize = new URL(`${origin}/oauth2/auth`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    nonce: base64url(randomBytes(12)),
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  const browser = new Browser();
  // Follows redirects until the callback is reached (returned) or a page is served.
  const follow = async (start: string): Promise<{ url: string; page?: string }> => {
    let url = start;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(redirectUri)) return { url };
      const res = await browser.fetch(url);
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) return { url, page: await res.text() };
      await res.arrayBuffer();
      url = new URL(location, url).href;
    }
    throw new Error("sign-in: too many redirects");
  };
  const login = await follow(authorize.href);
  const html = login.page ?? "";
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const csrf = /<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error(`sign-in: no login form at ${login.url}`);
  const posted = await browser.fetch(new URL(decodeAmp(action), login.url).href, {
    csrf: decodeAmp(csrf ?? ""),
    email,
    password,
  });
  const next = posted.headers.get("location");
  await posted.arrayBuffer();
  if (posted.status !== 303 || !next)
    throw new Error(`sign-in of ${email} failed with HTTP ${posted.status}`);
  const done = await follow(new URL(next, login.url).href);
  const callback = new URL(done.url);
  const code = callback.searchParams.get("code");
  if (!code || callback.searchParams.get("state") !== state)
    throw new Error(`sign-in: no code in the redirect (${callback.searchParams.get("error") ?? "?"})`);
  const token = await fetch(`${origin}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    }).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await token.json()) as { access_token?: string; error?: string };
  if (!token.ok || !body.access_token)
    throw new Error(`sign-in: token exchange failed with HTTP ${token.status} (${body.error ?? "?"})`);
  return body.access_token;
}
