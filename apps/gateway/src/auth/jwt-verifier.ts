import type { Principal } from "@toko/kit";
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { HttpProblem } from "../problem.ts";
import { tokenCacheKey, VerifiedTokenCache } from "./verified-token-cache.ts";

/** Where access tokens come from and how strictly they are checked. */
export interface JwtOptions {
  issuer: string;
  jwksUrl: string;
  audience: string;
  clockSkewSeconds: number;
  /** Minimum time between JWKS refetches triggered by an unknown `kid` (jose default 30 s). */
  refetchCooldownMs?: number;
  /** How long a fetched JWKS is trusted before it is fetched again (default 10 min). */
  cacheMaxAgeMs?: number;
  /** Verified tokens remembered until their `exp` (default 10,000; 0 turns the cache off). */
  tokenCacheSize?: number;
  /** The token cache's clock (tests). */
  now?: () => number;
}

/** Verifies bearer tokens and turns their claims into a principal. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Token cache counters, when the verifier has a cache. */
  cacheStats?(): { hits: number; misses: number; size: number };
  /** Whether the issuer's key set has been fetched (reported by `/readyz`). */
  keysLoaded?(): boolean;
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.split(" ").filter((s) => s.length > 0);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** Claims → principal: `roles` (array), `scope` (space-separated, RFC 8693) or `scp` (array). */
export function principalFromClaims(claims: JWTPayload): Principal {
  if (typeof claims.sub !== "string" || claims.sub.length === 0) {
    throw new HttpProblem(401, "UNAUTHENTICATED", "the access token has no subject");
  }
  const clientId = typeof claims.client_id === "string" ? claims.client_id : claims.azp;
  const principal: Principal = {
    subject: claims.sub,
    roles: stringList(claims.roles),
    scopes: stringList(claims.scope ?? claims.scp),
  };
  if (typeof clientId === "string") principal.clientId = clientId;
  return principal;
}

function reason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "the access token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the access token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "the access token was signed by an unknown key";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "the access token's signature is invalid";
  return "the access token is invalid";
}

/**
 * JWKS-backed verification. jose caches the key set, refetches it when a token names an
 * unknown `kid` (at most once per cooldown), and checks issuer, audience and expiry with skew.
 * Verified tokens are remembered (by hash) until their `exp`, but a remembered token is
 * verified afresh once the key set is due for a refetch, and dropped as soon as the fetched
 * set no longer publishes its `kid`: a cache hit never outlives the token or its key.
 */
export function createJwtVerifier(options: JwtOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.refetchCooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: 3_000,
  });
  const cache = new VerifiedTokenCache(options.tokenCacheSize ?? 10_000, options.now);
  // The kids of the key set jose holds. jose may refetch the set during any full verification,
  // so the set is re-read (a copy, hence not on every hit) after one.
  let published: Set<string> | undefined;
  const isPublished = (kid: string): boolean => {
    if (!keys.fresh) return false;
    published ??= new Set((keys.jwks()?.keys ?? []).flatMap((k) => (k.kid ? [k.kid] : [])));
    return published.has(kid);
  };

  async function verifyFully(token: string) {
    try {
      return await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockSkewSeconds,
        algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
        requiredClaims: ["exp", "sub"],
      });
    } catch (error) {
      if (
        error instanceof joseErrors.JWKSTimeout ||
        (error as { code?: string }).code === "ERR_JOSE_GENERIC"
      ) {
        // The issuer's key set could not be fetched: that is the edge's problem, not the caller's.
        throw new HttpProblem(503, "AUTH_UNAVAILABLE", "the token issuer's keys could not be fetched", {
          headers: { "retry-after": "1" },
        });
      }
      throw new HttpProblem(401, "UNAUTHENTICATED", reason(error), {
        headers: { "www-authenticate": 'Bearer error="invalid_token"' },
      });
    } finally {
      published = undefined;
    }
  }

  return {
    async verify(token) {
      const key = cache.enabled ? tokenCacheKey(token) : undefined;
      const hit = key === undefined ? undefined : cache.get(key, isPublished);
      if (hit) return hit;
      const { payload, protectedHeader } = await verifyFully(token);
      const principal = principalFromClaims(payload);
      if (key !== undefined && typeof protectedHeader.kid === "string" && typeof payload.exp === "number") {
        cache.set(key, { principal, expiresAtMs: payload.exp * 1000, kid: protectedHeader.kid });
      }
      return principal;
    },
    cacheStats: () => cache.stats(),
    keysLoaded: () => keys.jwks() !== undefined,
  };
}
