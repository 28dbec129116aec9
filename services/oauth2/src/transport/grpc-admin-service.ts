import {
  type Client,
  ClientType,
  type OAuth2AdminServiceServer,
  OAuth2AdminServiceService,
} from "@toko/contracts/toko/oauth2/v1/oauth2";
import { type CallContext, errors, type ImplementedService, implement, requirePrincipal } from "@toko/kit";
import type { OAuthClient } from "../clients/client.ts";
import type { ClientRepository } from "../clients/client-repository.ts";
import { newClientFrom } from "../clients/client-rules.ts";

/** What the admin API needs besides the client table. */
export interface AdminDeps {
  clients: ClientRepository;
  /** Revokes every grant, code, token and session of a client. */
  revokeClient(clientId: string): Promise<unknown>;
  /** Rotates the signing key and makes this replica use it; returns the new and published kids. */
  rotateSigningKey(): Promise<{ kid: string; publishedKids: string[] }>;
}

function requireAdmin(ctx: CallContext): void {
  if (!requirePrincipal(ctx).roles.includes("admin")) throw errors.forbidden("the admin role is required");
}

function toWire(c: OAuthClient): Client {
  return {
    clientId: c.clientId,
    name: c.name,
    type: c.type === "public" ? ClientType.CLIENT_TYPE_PUBLIC : ClientType.CLIENT_TYPE_CONFIDENTIAL,
    redirectUris: c.redirectUris,
    postLogoutRedirectUris: c.postLogoutRedirectUris,
    grantTypes: c.grantTypes,
    scopes: c.scopes,
    firstParty: c.firstParty,
    applicationType: c.applicationType,
    disabled: c.disabledAt !== undefined,
    createdAt: c.createdAt,
  };
}

const typeOf = (t: ClientType) =>
  t === ClientType.CLIENT_TYPE_PUBLIC
    ? "public"
    : t === ClientType.CLIENT_TYPE_CONFIDENTIAL
      ? "confidential"
      : undefined;

/** `toko.oauth2.v1.OAuth2AdminService`: admin principals only. */
export function adminGrpcService(deps: AdminDeps): ImplementedService {
  return implement<OAuth2AdminServiceServer>(OAuth2AdminServiceService, {
    async registerClient(request, ctx) {
      requireAdmin(ctx);
      const candidate = newClientFrom({ ...request, type: typeOf(request.type) });
      const stored = await deps.clients.insert(candidate);
      ctx.logger.info({ client_id: stored.clientId, type: stored.type }, "client registered");
      return { client: toWire(stored), clientSecret: candidate.secret ?? "" };
    },
    async listClients(_request, ctx) {
      requireAdmin(ctx);
      return { clients: (await deps.clients.list()).map(toWire) };
    },
    async disableClient(request, ctx) {
      requireAdmin(ctx);
      const client = await deps.clients.disable(request.clientId);
      await deps.revokeClient(client.clientId);
      ctx.logger.info({ client_id: client.clientId }, "client disabled");
      return { client: toWire(client) };
    },
    async rotateSigningKey(_request, ctx) {
      requireAdmin(ctx);
      const result = await deps.rotateSigningKey();
      ctx.logger.info({ kid: result.kid }, "signing key rotated");
      return result;
    },
  });
}
