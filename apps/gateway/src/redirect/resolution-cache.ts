/** Where a code points, as the service resolved it. */
export interface Resolution {
  url: string;
  /** Absent when the link never expires. */
  expiresAt?: Date | undefined;
}

interface Entry {
  resolution: Resolution | null;
  /** Epoch ms after which the entry must not be served. */
  until: number;
}

/** Cache outcome: a live resolution, a cached "no such link", or nothing known. */
export type Lookup = { hit: true; resolution: Resolution | null } | { hit: false };

/**
 * A bounded LRU of code → resolution. An entry lives `ttlMs` (so a disabled link stops
 * redirecting within that) but never past the link's own `expiresAt`, so expiry is exact;
 * unknown codes are cached for `negativeTtlMs`, so a flood of bad codes cannot hammer the service.
 */
export class ResolutionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; ttlMs: number; negativeTtlMs: number; now?: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#negativeTtlMs = options.negativeTtlMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(code: string): Lookup {
    const entry = this.#entries.get(code);
    if (!entry) return { hit: false };
    if (entry.until <= this.#now()) {
      this.#entries.delete(code);
      return { hit: false };
    }
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.#entries.delete(code);
    this.#entries.set(code, entry);
    return { hit: true, resolution: entry.resolution };
  }

  /** Drops what is known about a code (it was just created or disabled). */
  delete(code: string): void {
    this.#entries.delete(code);
  }

  /** Remembers a resolution (or null for "not found") until its TTL or the link's expiry. */
  set(code: string, resolution: Resolution | null): void {
    const now = this.#now();
    let until = now + (resolution ? this.#ttlMs : this.#negativeTtlMs);
    if (resolution?.expiresAt) until = Math.min(until, resolution.expiresAt.getTime());
    if (until <= now) return;
    this.#entries.delete(code);
    this.#entries.set(code, { resolution, until });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
