import { randomBytes } from "node:crypto";
import { errors, type FieldViolation } from "@toko/kit";
import { ALL_SCOPES, GRANT_TYPES, type GrantType, type NewClient } from "./client.ts";

/** What an admin asks for when registering a client (already mapped from the wire). */
export interface ClientRequest {
  clientId: string;
  name: string;
  type: "public" | "confidential" | undefined;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  grantTypes: readonly string[];
  scopes: readonly string[];
  firstParty: boolean;
  applicationType: string;
}

const CLIENT_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access", "buyer"];

/** Why a redirect URI is refused, or undefined when it is acceptable. */
export function redirectUriProblem(uri: string, applicationType: "web" | "native"): string | undefined {
  const url = URL.parse(uri);
  if (!url) return "must be an absolute URL";
  if (url.hash !== "" || uri.includes("#")) return "must not contain a fragment";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname) ? undefined : "http is only allowed on loopback; use https";
  }
  // Native apps may use a private-use scheme in reverse-domain form (RFC 8252 §7.1).
  if (applicationType === "native" && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol))
    return undefined;
  return "must use https (or http on loopback)";
}

/**
 * Validates a registration request and fills in defaults; throws VALIDATION_FAILED naming
 * every field at fault. The secret of a confidential client is generated here.
 */
export function newClientFrom(request: ClientRequest): NewClient {
  const violations: FieldViolation[] = [];
  const clientId = request.clientId === "" ? `c-${randomBytes(8).toString("hex")}` : request.clientId;
  if (!CLIENT_ID.test(clientId) || clientId.includes("--")) {
    violations.push({
      field: "client_id",
      message: "must be 3–64 lower-case letters, digits and single dashes",
    });
  }
  const name = request.name.trim();
  if (name.length === 0 || name.length > 100)
    violations.push({ field: "name", message: "must be 1–100 characters" });
  if (request.type === undefined)
    violations.push({ field: "type", message: "must be PUBLIC or CONFIDENTIAL" });
  const applicationType = request.applicationType === "" ? "web" : request.applicationType;
  if (applicationType !== "web" && applicationType !== "native") {
    violations.push({ field: "application_type", message: 'must be "web" or "native"' });
  }
  const appType = applicationType === "native" ? "native" : "web";
  request.redirectUris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri, appType);
    if (problem) violations.push({ field: `redirect_uris[${i}]`, message: problem });
  });
  request.postLogoutRedirectUris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri, appType);
    if (problem) violations.push({ field: `post_logout_redirect_uris[${i}]`, message: problem });
  });
  const grantTypes = (
    request.grantTypes.length > 0
      ? [...new Set(request.grantTypes)]
      : request.redirectUris.length > 0
        ? ["authorization_code", "refresh_token"]
        : ["client_credentials"]
  ) as GrantType[];
  for (const g of grantTypes) {
    if (!(GRANT_TYPES as readonly string[]).includes(g)) {
      violations.push({ field: "grant_types", message: `unsupported grant type "${g}"` });
    }
  }
  if (grantTypes.includes("authorization_code") && request.redirectUris.length === 0) {
    violations.push({
      field: "redirect_uris",
      message: "authorization_code needs at least one redirect URI",
    });
  }
  if (request.type === "public" && grantTypes.includes("client_credentials")) {
    violations.push({ field: "grant_types", message: "a public client cannot use client_credentials" });
  }
  if (grantTypes.includes("refresh_token") && !grantTypes.includes("authorization_code")) {
    violations.push({ field: "grant_types", message: "refresh_token needs authorization_code" });
  }
  const scopes = request.scopes.length > 0 ? [...new Set(request.scopes)] : DEFAULT_SCOPES;
  for (const s of scopes) {
    if (!ALL_SCOPES.includes(s)) violations.push({ field: "scopes", message: `unknown scope "${s}"` });
  }
  if (violations.length > 0) throw errors.invalid("the client registration is invalid", violations);
  const client: NewClient = {
    clientId,
    name,
    type: request.type ?? "public",
    redirectUris: [...request.redirectUris],
    postLogoutRedirectUris: [...request.postLogoutRedirectUris],
    grantTypes,
    scopes,
    firstParty: request.firstParty,
    applicationType: appType,
  };
  if (client.type === "confidential") client.secret = randomBytes(32).toString("base64url");
  return client;
}
