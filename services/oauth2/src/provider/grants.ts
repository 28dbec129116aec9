import type { Grant, KoaContextWithOIDC } from "oidc-provider";
import { API_SCOPES } from "../clients/client.ts";
import type { TokoAccount } from "./accounts.ts";

/** The API scopes a user may hold: exactly their roles. */
export function allowedApiScopes(requested: Iterable<string>, roles: readonly string[]): string[] {
  return [...requested].filter((s) => (API_SCOPES as readonly string[]).includes(s) && roles.includes(s));
}

/**
 * The API scopes a grant may record. A first-party client's grant records every API scope it
 * asks for: a token still carries only those the user's roles allow when it is issued, so a
 * refresh after opening a shop brings `seller`. A third-party grant records only what the user
 * could approve on the consent screen: the scopes their roles allow today.
 */
export function grantableApiScopes(firstParty: boolean, roles: readonly string[]): readonly string[] {
  return firstParty ? API_SCOPES : roles;
}

/** Whether the client is first-party (seeded or registered as such): no consent screen. */
export function isFirstParty(ctx: KoaContextWithOIDC): boolean {
  return (
    (ctx.oidc.client as unknown as { toko_first_party?: boolean } | undefined)?.toko_first_party === true
  );
}

/**
 * Adds what a first-party client's authorization request asks for to its grant: the OIDC scopes
 * and claims, and the API scopes (tokens carry them only within the user's roles).
 */
export function extendGrant(ctx: KoaContextWithOIDC, grant: Grant, apiResource: string): void {
  const oidcScopes = [...ctx.oidc.requestParamOIDCScopes];
  if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(" "));
  const claims = Object.keys(ctx.oidc.claims?.id_token ?? {}).concat(
    Object.keys(ctx.oidc.claims?.userinfo ?? {}),
  );
  if (claims.length > 0) grant.addOIDCClaims(claims);
  if (ctx.oidc.resourceServers?.[apiResource])
    applyApiScopes(grant, apiResource, ctx.oidc.requestParamScopes, grantableApiScopes(true, []));
}

/**
 * Grants the requested API scopes among `grantable` and records the others as rejected, so the
 * consent prompt does not ask again for something the user cannot have.
 */
export function applyApiScopes(
  grant: Grant,
  apiResource: string,
  requested: Iterable<string>,
  grantable: readonly string[],
): void {
  const wanted = [...requested].filter((s) => (API_SCOPES as readonly string[]).includes(s));
  const allowed = allowedApiScopes(wanted, grantable);
  const refused = wanted.filter((s) => !allowed.includes(s));
  if (allowed.length > 0) grant.addResourceScope(apiResource, allowed.join(" "));
  if (refused.length > 0) grant.rejectResourceScope(apiResource, refused.join(" "));
}

/**
 * oidc-provider's `loadExistingGrant`: for first-party clients the grant is created or extended
 * silently, so the consent prompt never shows; third-party clients go through consent.
 */
export function grantLoader(apiResource: string) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { client, session } = ctx.oidc;
    if (!client || !session) return undefined;
    const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    const account = ctx.oidc.account as TokoAccount | undefined;
    if (!isFirstParty(ctx) || !account || !session.accountId) return grant;
    grant ??= new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    extendGrant(ctx, grant, apiResource);
    await grant.save();
    return grant;
  };
}
