import { errors } from "@toko/kit";
import type { AdapterPayload } from "oidc-provider";
import type pg from "pg";
import type { SealedBox } from "../crypto/sealed-box.ts";
import type { ClientMetadataSource } from "../provider/pg-adapter.ts";
import { API_SCOPES, type GrantType, type NewClient, type OAuthClient, OIDC_SCOPES } from "./client.ts";

interface ClientRow {
  client_id: string;
  name: string;
  client_type: "public" | "confidential";
  sealed_secret: Buffer | null;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  first_party: boolean;
  application_type: "web" | "native";
  disabled_at: Date | null;
  created_at: Date;
}

function toClient(row: ClientRow): OAuthClient {
  return {
    clientId: row.client_id,
    name: row.name,
    type: row.client_type,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    grantTypes: row.grant_types as GrantType[],
    scopes: row.scopes,
    firstParty: row.first_party,
    applicationType: row.application_type,
    disabledAt: row.disabled_at ?? undefined,
    createdAt: row.created_at,
  };
}

/** Registered clients in PostgreSQL; secrets sealed at rest. */
export class ClientRepository implements ClientMetadataSource {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SealedBox,
  ) {}

  /** Stores a new client; CLIENT_ID_TAKEN when the id exists. */
  async insert(client: NewClient): Promise<OAuthClient> {
    try {
      const { rows } = await this.pool.query<ClientRow>(
        `INSERT INTO clients (client_id, name, client_type, sealed_secret, redirect_uris, post_logout_redirect_uris,
           grant_types, scopes, first_party, application_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        this.values(client),
      );
      return toClient(rows[0] as ClientRow);
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        throw errors.conflict("CLIENT_ID_TAKEN", `client id "${client.clientId}" is taken`);
      }
      throw error;
    }
  }

  /**
   * Inserts or refreshes a seeded client's settings (redirect URIs follow the configured origin)
   * without re-enabling it if an admin disabled it.
   */
  async upsertSeed(client: NewClient): Promise<void> {
    await this.pool.query(
      `INSERT INTO clients (client_id, name, client_type, sealed_secret, redirect_uris, post_logout_redirect_uris,
         grant_types, scopes, first_party, application_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, client_type = excluded.client_type,
         sealed_secret = excluded.sealed_secret, redirect_uris = excluded.redirect_uris,
         post_logout_redirect_uris = excluded.post_logout_redirect_uris, grant_types = excluded.grant_types,
         scopes = excluded.scopes, first_party = excluded.first_party, application_type = excluded.application_type`,
      this.values(client),
    );
  }

  async list(): Promise<OAuthClient[]> {
    const { rows } = await this.pool.query<ClientRow>("SELECT * FROM clients ORDER BY client_id");
    return rows.map(toClient);
  }

  async find(clientId: string): Promise<OAuthClient | undefined> {
    const { rows } = await this.pool.query<ClientRow>("SELECT * FROM clients WHERE client_id = $1", [
      clientId,
    ]);
    return rows[0] ? toClient(rows[0]) : undefined;
  }

  /** Marks a client disabled (keeps the first time); NOT_FOUND for an unknown id. */
  async disable(clientId: string): Promise<OAuthClient> {
    const { rows } = await this.pool.query<ClientRow>(
      "UPDATE clients SET disabled_at = COALESCE(disabled_at, now()) WHERE client_id = $1 RETURNING *",
      [clientId],
    );
    if (!rows[0]) throw errors.notFound(`client "${clientId}"`);
    return toClient(rows[0]);
  }

  /** The client as oidc-provider metadata; undefined when unknown or disabled. */
  async clientMetadata(clientId: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.pool.query<ClientRow>(
      "SELECT * FROM clients WHERE client_id = $1 AND disabled_at IS NULL",
      [clientId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const metadata: AdapterPayload = {
      client_id: row.client_id,
      client_name: row.name,
      application_type: row.application_type,
      redirect_uris: row.redirect_uris,
      post_logout_redirect_uris: row.post_logout_redirect_uris,
      grant_types: row.grant_types,
      response_types: row.grant_types.includes("authorization_code") ? ["code"] : [],
      toko_api_scopes: row.scopes.filter((s) => (API_SCOPES as readonly string[]).includes(s)),
      token_endpoint_auth_method: row.client_type === "public" ? "none" : "client_secret_basic",
      toko_first_party: row.first_party,
    };
    // oidc-provider's `scope` holds OIDC scopes only (never empty); API scopes are per resource server.
    const oidcScopes = row.scopes.filter((s) => (OIDC_SCOPES as readonly string[]).includes(s));
    if (oidcScopes.length > 0) metadata.scope = oidcScopes.join(" ");
    if (row.sealed_secret)
      metadata.client_secret = this.box.open(row.sealed_secret, row.client_id).toString("utf8");
    return metadata;
  }

  private values(client: NewClient): unknown[] {
    return [
      client.clientId,
      client.name,
      client.type,
      client.secret === undefined ? null : this.box.seal(Buffer.from(client.secret, "utf8"), client.clientId),
      client.redirectUris,
      client.postLogoutRedirectUris,
      client.grantTypes,
      client.scopes,
      client.firstParty,
      client.applicationType,
    ];
  }
}
