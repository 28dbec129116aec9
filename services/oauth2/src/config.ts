import { ConfigError, env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";
import { trustedPeers } from "./http/trusted-peers.ts";

const csv = () =>
  z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );

const schema = z.object({
  ...serviceEnvShape,
  // The bus it consumes user events from (PasswordChanged ends the account's sessions).
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  HTTP_HOST: z.string().default("127.0.0.1"),
  HTTP_PORT: env.port(9000),
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /**
   * Root secret (32+ characters) sealing signing keys and client secrets at rest, and keying
   * cookies. Its own secret, so rotating TOKO_INTERNAL_SECRET never touches it; required unless
   * TOKO_ENV=development (then, when unset, derived from TOKO_INTERNAL_SECRET).
   */
  OAUTH2_KEY_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Resource indicator (RFC 8707) of the Toko API; tokens for it are JWTs. */
  OAUTH2_API_RESOURCE: z.string().default("urn:toko:api"),
  /** `aud` of access tokens for the Toko API (what the gateway checks). */
  OAUTH2_API_AUDIENCE: z.string().default("toko-api"),
  OAUTH2_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(3600).default(600),
  OAUTH2_ID_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
  OAUTH2_REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 86_400),
  OAUTH2_SESSION_TTL_S: z.coerce
    .number()
    .int()
    .min(300)
    .default(14 * 86_400),
  /** How often each replica looks for a rotated signing key. */
  OAUTH2_KEY_REFRESH_MS: env.duration(30_000),
  /** Extra redirect URIs for the seeded `toko-web` client (e.g. a dev server's callback). */
  OAUTH2_WEB_REDIRECT_URIS: csv(),
  /**
   * Peers allowed to set X-Forwarded-* (the gateway), as addresses or CIDRs; anyone else's are
   * dropped. In a cluster, the gateway pods' network (e.g. `10.0.0.0/8`).
   */
  OAUTH2_TRUSTED_PROXIES: z
    .string()
    .default("127.0.0.1,::1")
    .transform((v, ctx) => {
      try {
        return trustedPeers(
          v
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
        );
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

/** The oauth2 service's settings. */
export type OAuth2Config = z.infer<typeof schema> & {
  /** `${TOKO_PUBLIC_ORIGIN}/oauth2`. */
  issuer: string;
  /** Secret material everything at rest and in cookies is keyed from. */
  rootSecret: string;
};

/**
 * Reads the configuration; the only place in this service that looks at `process.env`.
 * Refuses to start without the key-encryption key outside development: a built-in fallback
 * would seal every signing key, client secret and cookie under a key anyone can read in the
 * source, and one derived from the internal secret would be lost when that secret rotates.
 */
export function loadOAuth2Config(source: Record<string, string | undefined> = process.env): OAuth2Config {
  const c = loadConfig("oauth2", schema, source);
  const development = c.TOKO_ENV === "development";
  const rootSecret = c.OAUTH2_KEY_ENCRYPTION_KEY ?? (development ? c.TOKO_INTERNAL_SECRET : undefined);
  if (!rootSecret) {
    throw new ConfigError("oauth2", [
      {
        variable: "OAUTH2_KEY_ENCRYPTION_KEY",
        message: development
          ? "is required when TOKO_INTERNAL_SECRET is not set (one of them keys signing keys, client secrets and cookies)"
          : "is required outside development (TOKO_ENV=development): it seals signing keys and client secrets and keys cookies",
      },
    ]);
  }
  const origin = c.TOKO_PUBLIC_ORIGIN.replace(/\/+$/, "");
  return { ...c, TOKO_PUBLIC_ORIGIN: origin, issuer: `${origin}/oauth2`, rootSecret };
}
