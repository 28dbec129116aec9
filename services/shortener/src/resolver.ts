import { errors } from "@toko/kit";
import { isLive, type Resolution } from "./link.ts";
import { LruCache } from "./lru-cache.ts";
import type { LinkRepository } from "./repository.ts";
import { isCodeShaped } from "./rules/code.ts";

export interface ResolverOptions {
  /** Entries kept at most (0 disables caching). */
  cacheSize: number;
  /** Longest an entry lives, bounding how stale another replica's disable can look. */
  cacheTtlMs: number;
  now?: () => Date;
}

/**
 * Resolves codes for redirects through a bounded LRU cache. An entry never outlives its link's
 * expiry (checked against the clock on every read), is dropped when the link is disabled here,
 * and concurrent misses on one code share a single database read.
 */
export class LinkResolver {
  readonly #cache: LruCache<Resolution>;
  readonly #inflight = new Map<string, { promise: Promise<Resolution | undefined> }>();
  readonly #now: () => Date;

  constructor(
    private readonly links: LinkRepository,
    private readonly options: ResolverOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#cache = new LruCache(options.cacheSize, () => this.#now().getTime());
  }

  /** Where `code` points now; NOT_FOUND when unknown, disabled or expired (expires_at <= now). */
  async resolve(code: string): Promise<Resolution> {
    const cached = this.#cache.get(code);
    if (cached) return cached;
    if (!isCodeShaped(code)) throw errors.notFound("link");
    let pending = this.#inflight.get(code);
    if (!pending) {
      const entry = { promise: Promise.resolve<Resolution | undefined>(undefined) };
      this.#inflight.set(code, entry);
      entry.promise = this.#load(code, entry);
      pending = entry;
    }
    const resolution = await pending.promise;
    // The clock may have passed the expiry while the read was in flight.
    if (!resolution || !isLive({ disabledAt: null, expiresAt: resolution.expiresAt }, this.#now())) {
      throw errors.notFound("link");
    }
    return resolution;
  }

  /** Drops `code` from the cache, including a read in flight, so a disable takes effect at once. */
  forget(code: string): void {
    this.#cache.delete(code);
    this.#inflight.delete(code);
  }

  async #load(code: string, self: object): Promise<Resolution | undefined> {
    try {
      const link = await this.links.findByCode(code);
      const now = this.#now();
      if (!link || !isLive(link, now)) return undefined;
      const resolution = { url: link.url, expiresAt: link.expiresAt };
      // Cache only if no forget() happened meanwhile (the in-flight entry is still ours).
      if (this.#inflight.get(code) === self) {
        const ttlEnd = now.getTime() + this.options.cacheTtlMs;
        this.#cache.set(code, resolution, Math.min(ttlEnd, link.expiresAt?.getTime() ?? ttlEnd));
      }
      return resolution;
    } finally {
      if (this.#inflight.get(code) === self) this.#inflight.delete(code);
    }
  }
}
