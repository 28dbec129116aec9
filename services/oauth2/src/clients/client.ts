/** The grant types a Toko client may use (no implicit, no password, no device flow). */
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** OpenID Connect scopes. */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
/** Scopes of the Toko API, granted only to users holding the role of the same name. */
export const API_SCOPES = ["buyer", "seller", "admin"] as const;
export const ALL_SCOPES: readonly string[] = [...OIDC_SCOPES, ...API_SCOPES];

/** A registered OAuth client as this service stores it. */
export interface OAuthClient {
  clientId: string;
  name: string;
  type: "public" | "confidential";
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  firstParty: boolean;
  applicationType: "web" | "native";
  disabledAt: Date | undefined;
  createdAt: Date;
}

/** A client about to be stored; `secret` only for confidential clients. */
export type NewClient = Omit<OAuthClient, "disabledAt" | "createdAt"> & { secret?: string };
