import { createHash } from "node:crypto";
import type { Principal } from "@toko/kit";

/** A verified token's principal, valid until the token's own `exp`, while its key is published. */
export interface VerifiedToken {
  principal: Principal;
  /** The token's `exp` in epoch milliseconds; never extended (no clock-skew allowance either). */
  expiresAtMs: number;
  /** The `kid` that signed it: once the issuer stops publishing that key, the entry is void. */
  kid: string;
}

/** Cache key of a token: its SHA-256, so the cache never holds bearer tokens themselves. */
export function tokenCacheKey(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * A bounded map from token hash to verified principal. Signature checks dominate the cost of
 * a request with a bearer token (an RS256 verify is ~70 µs, a hash ~2 µs) and a client sends
 * the same token for up to its lifetime, so a hit skips the RSA work. Entries go at the
 * token's `exp`; when full, the oldest insertion goes first (tokens are inserted roughly in
 * `exp` order, so that is about the soonest to expire).
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, VerifiedToken>();
  #hits = 0;
  #misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** False when the cache is configured off (size 0): callers skip hashing. */
  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** The principal for `key` (a copy), unless absent, expired, or signed by a key `isPublished` refuses. */
  get(key: string, isPublished: (kid: string) => boolean): Principal | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses += 1;
      return undefined;
    }
    if (this.now() >= entry.expiresAtMs || !isPublished(entry.kid)) {
      this.#entries.delete(key);
      this.#misses += 1;
      return undefined;
    }
    this.#hits += 1;
    // A copy: request code may change its principal without poisoning the cache.
    const { principal } = entry;
    return { ...principal, roles: [...principal.roles], scopes: [...principal.scopes] };
  }

  /** Remembers a verified token; one already expired is not kept. */
  set(key: string, entry: VerifiedToken): void {
    if (this.maxEntries <= 0 || entry.expiresAtMs <= this.now()) return;
    if (this.#entries.has(key)) this.#entries.delete(key);
    else if (this.#entries.size >= this.maxEntries) this.#evictOne();
    const { principal } = entry;
    this.#entries.set(key, {
      ...entry,
      principal: { ...principal, roles: [...principal.roles], scopes: [...principal.scopes] },
    });
  }

  /** Hits, misses and current size, for benchmarks and tests. */
  stats(): { hits: number; misses: number; size: number } {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }

  #evictOne(): void {
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.#entries.delete(oldest.value);
  }
}
