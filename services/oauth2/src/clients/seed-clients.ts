import type { NewClient } from "./client.ts";

/**
 * The first-party clients every installation has (API.md): `toko-web`, the web app, and
 * `toko-cli`, a native app using a loopback redirect on any port (RFC 8252). Both are public
 * (PKCE S256) and skip consent; neither may use the password grant (Toko offers none).
 */
export function seededClients(origin: string, extraWebRedirects: readonly string[]): NewClient[] {
  const scopes = ["openid", "profile", "email", "offline_access", "buyer", "seller", "admin"];
  return [
    {
      clientId: "toko-web",
      name: "Toko",
      type: "public",
      redirectUris: [`${origin}/callback`, ...extraWebRedirects],
      postLogoutRedirectUris: [`${origin}/`],
      grantTypes: ["authorization_code", "refresh_token"],
      scopes,
      firstParty: true,
      applicationType: "web",
    },
    {
      clientId: "toko-cli",
      name: "Toko CLI",
      type: "public",
      redirectUris: ["http://127.0.0.1/callback"],
      postLogoutRedirectUris: [],
      grantTypes: ["authorization_code", "refresh_token"],
      scopes,
      firstParty: true,
      applicationType: "native",
    },
  ];
}
