// Sign-in with the authorization code flow + PKCE as the public `toko-web` client (API.md,
// decision 0003). Tokens live in localStorage so every tab shares one session; the refresh
// token rotates on each use and the server detects reuse.
import { codeChallenge, jwtClaims, randomToken } from "../lib/pkce.ts";
import { safeReturnPath } from "../lib/route-match.ts";

const CLIENT_ID = "toko-web";
const SCOPES = "openid profile email offline_access buyer seller";
const TOKENS = "toko.tokens";
const PENDING = "toko.pending_sign_in";

interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  /** Epoch ms after which the access token is treated as expired. */
  expires_at: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

/** Who is signed in, from the tokens (for display; the API decides what they may do). */
export interface SessionUser {
  sub: string;
  name: string;
  email: string;
  roles: string[];
}

const listeners = new Set<() => void>();
/** Calls `fn` whenever the session changes (sign-in, refresh, sign-out, another tab). */
export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function changed() {
  for (const fn of listeners) fn();
}
if (typeof window !== "undefined") {
  window.addEventListener("storage", (e) => {
    if (e.key === TOKENS) changed();
  });
}

function readTokens(): Tokens | undefined {
  try {
    const raw = localStorage.getItem(TOKENS);
    return raw ? (JSON.parse(raw) as Tokens) : undefined;
  } catch {
    return undefined;
  }
}

function storeTokens(body: {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}) {
  const previous = readTokens();
  const tokens: Tokens = {
    access_token: body.access_token,
    refresh_token: body.refresh_token ?? previous?.refresh_token,
    id_token: body.id_token ?? previous?.id_token,
    // A little early, so a request never leaves with a token about to expire.
    expires_at: Date.now() + Math.max(5, (body.expires_in ?? 300) - 30) * 1000,
  };
  localStorage.setItem(TOKENS, JSON.stringify(tokens));
  changed();
}

let discovery: Promise<Discovery> | undefined;
function discover(): Promise<Discovery> {
  discovery ??= fetch("/oauth2/.well-known/openid-configuration").then((r) => {
    if (!r.ok) throw new Error(`sign-in is unavailable (HTTP ${r.status})`);
    return r.json() as Promise<Discovery>;
  });
  discovery.catch(() => {
    discovery = undefined;
  });
  return discovery;
}

function redirectUri(): string {
  return `${location.origin}/callback`;
}

/** The signed-in user, or undefined for a guest. */
export function currentUser(): SessionUser | undefined {
  const tokens = readTokens();
  if (!tokens) return undefined;
  const id = tokens.id_token ? jwtClaims(tokens.id_token) : undefined;
  const access = jwtClaims(tokens.access_token);
  const sub = String(access?.sub ?? id?.sub ?? "");
  if (!sub) return undefined;
  return {
    sub,
    name: String(id?.name ?? access?.name ?? ""),
    email: String(id?.email ?? access?.email ?? ""),
    roles: Array.isArray(access?.roles) ? (access.roles as unknown[]).map(String) : [],
  };
}

/** Sends the browser to the sign-in page; it comes back to /callback, then to `returnTo`. */
export async function signIn(returnTo: string): Promise<void> {
  const { authorization_endpoint } = await discover();
  const verifier = randomToken(48);
  const state = randomToken(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: safeReturnPath(returnTo) }));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: redirectUri(),
    scope: SCOPES,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

async function tokenRequest(params: Record<string, string>): Promise<Response> {
  const { token_endpoint } = await discover();
  return fetch(token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
}

/** Finishes sign-in on /callback; returns where to go next. Throws with a reason a person can read. */
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const pendingRaw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const error = params.get("error");
  if (error) throw new Error(params.get("error_description") ?? error);
  if (!pendingRaw) throw new Error("this sign-in link was already used or has expired");
  const pending = JSON.parse(pendingRaw) as { verifier: string; state: string; returnTo: string };
  if (params.get("state") !== pending.state)
    throw new Error("the sign-in answer does not match this browser");
  const code = params.get("code");
  if (!code) throw new Error("the sign-in answer has no code");
  const res = await tokenRequest({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error_description?: string; error?: string };
    throw new Error(body.error_description ?? body.error ?? `HTTP ${res.status}`);
  }
  storeTokens((await res.json()) as Parameters<typeof storeTokens>[0]);
  return safeReturnPath(pending.returnTo);
}

let refreshing: Promise<string | undefined> | undefined;

/** Exchanges the refresh token (once at a time); signs out locally when it is refused. */
export function forceRefresh(): Promise<string | undefined> {
  refreshing ??= (async () => {
    const tokens = readTokens();
    if (!tokens?.refresh_token) {
      clearTokens();
      return undefined;
    }
    try {
      const res = await tokenRequest({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
      if (!res.ok) {
        clearTokens();
        return undefined;
      }
      storeTokens((await res.json()) as Parameters<typeof storeTokens>[0]);
      return readTokens()?.access_token;
    } catch {
      return tokens.access_token;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** A valid access token (refreshed when it is about to expire), or undefined for a guest. */
export async function accessToken(): Promise<string | undefined> {
  const tokens = readTokens();
  if (!tokens) return undefined;
  if (Date.now() < tokens.expires_at) return tokens.access_token;
  return forceRefresh();
}

function clearTokens() {
  localStorage.removeItem(TOKENS);
  changed();
}

/** Signs out here and at the authorization server, coming back to the home page. */
export async function signOut(): Promise<void> {
  const tokens = readTokens();
  clearTokens();
  let endSession: string | undefined;
  try {
    endSession = (await discover()).end_session_endpoint;
  } catch {
    endSession = undefined;
  }
  if (!endSession) {
    location.assign("/");
    return;
  }
  const url = new URL(endSession);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    post_logout_redirect_uri: `${location.origin}/`,
    ...(tokens?.id_token ? { id_token_hint: tokens.id_token } : {}),
  }).toString();
  location.assign(url.toString());
}
