import { createLocalJWKSet, errors as joseErrors, jwtVerify } from "jose";
import type { Middleware } from "koa";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { FormError, readForm } from "../http/form.ts";
import type { SigningJwk } from "../keys/signing-key-store.ts";
import type { TokoAccount } from "./accounts.ts";

/** The OIDC claims each scope releases (the provider's `claims` setting and this endpoint share it). */
export const SCOPE_CLAIMS = {
  openid: ["sub"],
  email: ["email", "email_verified"],
  profile: ["name", "updated_at"],
} as const satisfies Record<string, readonly string[]>;

/** Where userinfo is served, relative to the issuer. */
export const USERINFO_PATH = "/me";

/** What the userinfo endpoint needs to accept the provider's own API access tokens. */
export interface ApiTokenUserinfoSettings {
  issuer: string;
  /** The absolute userinfo URL: an API token carrying `openid` names it in its `aud`. */
  userinfoUrl: string;
  /** The provider's signing keys (current and retired), private parts included. */
  keys: readonly SigningJwk[];
  findAccount: (ctx: unknown, sub: string) => Promise<TokoAccount | undefined>;
}

const PUBLIC_RSA = ["kty", "kid", "alg", "use", "n", "e"] as const;
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const isJws = (token: string | null | undefined): token is string => !!token && compactJws.test(token);

/**
 * The access token of a userinfo request this endpoint answers: a JWS in the Authorization
 * header, or in the form body of a POST without one (RFC 6750 §2.2). Undefined when the request
 * is oidc-provider's (no JWT, body untouched); a string that is no JWS when the body was read.
 */
async function tokenOf(ctx: Parameters<Middleware>[0]): Promise<string | undefined> {
  const header = ctx.get("authorization");
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    return isJws(token) ? token : undefined;
  }
  if (ctx.method !== "POST" || !ctx.is("application/x-www-form-urlencoded")) return undefined;
  // The body is read here, so whatever it holds is answered here.
  return (await readForm(ctx.req)).get("access_token") ?? "";
}

/**
 * Userinfo for the access tokens this issuer hands out for the Toko API. oidc-provider's own
 * userinfo accepts only opaque tokens without an audience, but a plain code flow here yields a
 * JWT for the API, and a standard RP calls userinfo with whatever access token it got. Such a
 * token names the userinfo URL in its `aud` when `openid` was granted; it is verified against
 * the provider's own keys and answered with the claims its OIDC scopes release, for an account
 * and client that still exist. A bearer header holding no JWT is left to oidc-provider.
 */
export function apiTokenUserinfo(provider: Provider, s: ApiTokenUserinfoSettings): Middleware {
  const keys = createLocalJWKSet({
    keys: s.keys.map((k) => Object.fromEntries(PUBLIC_RSA.flatMap((p) => (p in k ? [[p, k[p]]] : [])))),
  });
  return async (ctx, next) => {
    if (ctx.path !== USERINFO_PATH || (ctx.method !== "GET" && ctx.method !== "POST")) return next();
    const refuse = (status: 400 | 401 | 403, error: string, description: string) => {
      ctx.status = status;
      ctx.set(
        "www-authenticate",
        `Bearer realm="${s.issuer}", error="${error}", error_description="${description}"`,
      );
      ctx.set("cache-control", "no-store");
      ctx.body = { error, error_description: description };
    };
    let token: string | undefined;
    try {
      token = await tokenOf(ctx);
    } catch (error) {
      if (error instanceof FormError) return refuse(400, "invalid_request", "unreadable request body");
      throw error;
    }
    if (token === undefined) return next();
    if (token === "") return refuse(400, "invalid_request", "no access token provided");
    // Every access token this issuer hands out is a JWT: anything else is no token of ours.
    if (!isJws(token)) return refuse(401, "invalid_token", "invalid access token");
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: s.issuer,
        audience: s.userinfoUrl,
        typ: "at+jwt",
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp", "client_id"],
      }));
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      return refuse(401, "invalid_token", expired ? "access token expired" : "invalid access token");
    }
    const scopes = new Set(String(payload.scope ?? "").split(" "));
    if (!scopes.has("openid")) return refuse(403, "insufficient_scope", "access token missing openid scope");
    const client = await provider.Client.find(String(payload.client_id));
    const account = client
      ? await s.findAccount(ctx as unknown as KoaContextWithOIDC, String(payload.sub))
      : undefined;
    if (!account) return refuse(401, "invalid_token", "associated account or client not found");

    const all = (await account.claims("userinfo", [...scopes].join(" "), {}, [])) as Record<string, unknown>;
    const released: Record<string, unknown> = { sub: account.accountId };
    for (const [scope, names] of Object.entries(SCOPE_CLAIMS)) {
      if (!scopes.has(scope)) continue;
      for (const name of names) if (all[name] !== undefined) released[name] = all[name];
    }
    ctx.set("cache-control", "no-store");
    // A bearer-token endpoint with no cookies: any origin may read it (as oidc-provider's own).
    if (ctx.get("origin")) ctx.set("access-control-allow-origin", "*");
    ctx.type = "application/json";
    ctx.body = released;
  };
}
