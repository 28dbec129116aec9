import Provider, {
  type AdapterConstructor,
  type Configuration,
  errors,
  type KoaContextWithOIDC,
} from "oidc-provider";
import { API_SCOPES, OIDC_SCOPES } from "../clients/client.ts";
import { errorPage, logoutPage } from "../http/pages.ts";
import type { SigningJwk } from "../keys/signing-key-store.ts";
import { accountFinder, type TokoAccount, type UserDirectory } from "./accounts.ts";
import { apiTokenUserinfo, SCOPE_CLAIMS, USERINFO_PATH } from "./api-token-userinfo.ts";
import { grantLoader } from "./grants.ts";

/** What a provider instance is built from. */
export interface ProviderSettings {
  issuer: string;
  apiResource: string;
  apiAudience: string;
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  cookieKeys: string[];
  keys: SigningJwk[];
  adapter: AdapterConstructor;
  users: UserDirectory;
}

/** Path of the interaction (login / consent) pages, relative to the origin. */
export const interactionPath = (uid: string): string => `/oauth2/interaction/${uid}`;

/** The OIDC scopes the grant allows for the token being issued (none for client_credentials). */
function grantedOidcScopes(ctx: KoaContextWithOIDC): string[] {
  const { Grant: grant, AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
  const source = code ?? refresh;
  if (!grant || !source) return [];
  // A refresh request may narrow the scope; a code exchange cannot.
  const requested = ctx.oidc.params?.scope ? ctx.oidc.requestParamScopes : source.scopes;
  return grant
    .getOIDCScopeFiltered(requested)
    .split(" ")
    .filter((v) => v.length > 0);
}

/**
 * The oidc-provider instance: authorization code + PKCE (S256 only, required for everyone),
 * refresh token rotation with reuse detection, client_credentials, introspection, revocation,
 * userinfo, end-session and discovery.
 *
 * Every access token is a short-lived JWT for the Toko API (docs/decisions/0003): `resource`
 * may name the API but need not, since the granted (default) resource is used. Its `scope`
 * lists the granted OIDC scopes and the API scopes the client was granted AND the user's roles
 * allow; `roles` is the user's roles within those scopes. With `openid` its `aud` also names
 * the userinfo endpoint, which accepts it (see api-token-userinfo.ts).
 */
export function createProvider(s: ProviderSettings): Provider {
  const userinfoUrl = `${s.issuer}${USERINFO_PATH}`;
  const findAccount = accountFinder(s.users);
  const configuration: Configuration = {
    adapter: s.adapter,
    jwks: { keys: s.keys as unknown as NonNullable<Configuration["jwks"]>["keys"] },
    findAccount: findAccount as Configuration["findAccount"],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, names]) => [scope, [...names]])),
    routes: { userinfo: USERINFO_PATH },
    scopes: [...OIDC_SCOPES],
    extraClientMetadata: {
      properties: ["toko_first_party", "toko_api_scopes"],
      validator(_ctx, key, value) {
        if (key === "toko_first_party" && value !== undefined && typeof value !== "boolean") {
          throw new errors.InvalidClientMetadata("toko_first_party must be a boolean");
        }
        if (key === "toko_api_scopes" && value !== undefined && !Array.isArray(value)) {
          throw new errors.InvalidClientMetadata("toko_api_scopes must be an array");
        }
      },
    },
    responseTypes: ["code"],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    // OAuth 2.1: public clients get rotating refresh tokens. Without `offline_access` (which OIDC
    // only honours with prompt=consent) the refresh token ends with the sign-in session.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    cookies: {
      keys: s.cookieKeys,
      names: { session: "toko_op_session", interaction: "toko_op_interaction", resume: "toko_op_resume" },
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    ttl: {
      AccessToken: s.accessTokenTtlSeconds,
      ClientCredentials: s.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: s.idTokenTtlSeconds,
      Interaction: 3600,
      Grant: s.refreshTokenTtlSeconds,
      Session: s.sessionTtlSeconds,
      RefreshToken: s.refreshTokenTtlSeconds,
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    loadExistingGrant: grantLoader(s.apiResource),
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutPage(form, ctx.host);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = "html";
          ctx.body = errorPage("Signed out", "You have been signed out of Toko.");
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every request is for the Toko API unless it names another resource (there is none),
        // and a token request without `resource` gets the granted one: a plain code flow's
        // access token works at the API.
        defaultResource: async () => s.apiResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource, client) => {
          if (resource !== s.apiResource) throw new errors.InvalidTarget();
          // A client gets at most the API scopes it was registered with; once the user is known,
          // a token carries only the ones their roles still allow.
          const clientScopes = (client as unknown as { toko_api_scopes?: string[] }).toko_api_scopes ?? [];
          const account = ctx.oidc.account as TokoAccount | undefined;
          const scopes = API_SCOPES.filter(
            (r) => clientScopes.includes(r) && (!account || account.roles.includes(r)),
          );
          return {
            scope: scopes.join(" "),
            audience: s.apiAudience,
            accessTokenTTL: s.accessTokenTtlSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    extraTokenClaims: async (ctx: KoaContextWithOIDC, token) => {
      if (token.kind !== "AccessToken") return undefined;
      // A role counts only where the client was granted its scope: a client a seller approved
      // for `openid profile` acts as nobody at the API.
      const account = ctx.oidc.account as TokoAccount | undefined;
      const scopes = new Set(token.scope?.split(" "));
      return { roles: account ? account.roles.filter((r) => scopes.has(r)) : [] };
    },
    formats: {
      customizers: {
        jwt: async (ctx, token, jwt) => {
          if (token.kind !== "AccessToken") return;
          const oidcScopes = grantedOidcScopes(ctx);
          if (oidcScopes.length === 0) return;
          const apiScopes = token.scope ? token.scope.split(" ") : [];
          jwt.payload.scope = [...oidcScopes, ...apiScopes].join(" ");
          if (oidcScopes.includes("openid")) jwt.payload.aud = [s.apiAudience, userinfoUrl];
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage("Sign-in failed", `${out.error}: ${out.error_description ?? ""}`);
    },
  };
  const provider = new Provider(s.issuer, configuration);
  provider.use(apiTokenUserinfo(provider, { issuer: s.issuer, userinfoUrl, keys: s.keys, findAccount }));
  // Behind the gateway: X-Forwarded-* give the public origin (untrusted peers' are stripped earlier).
  provider.proxy = true;
  return provider;
}
