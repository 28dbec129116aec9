/**
 * A short-TTL cache of public product pages in front of GetProduct, with concurrent misses for
 * one id coalesced into one call. Entries live `ttlMs` (a price schedule or edit elsewhere
 * shows up within that); writes through this gateway evict at once. Drafts are never cached:
 * only their owner may see them.
 */
export class ProductCache<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();
  readonly #inflight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The cached value, or `load()`'s (stored when `cacheable` says so). */
  async get(id: string, load: () => Promise<T>, cacheable: (value: T) => boolean): Promise<T> {
    const hit = this.#entries.get(id);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.#entries.delete(id);
    const pending = this.#inflight.get(id);
    if (pending) return pending;
    const loading = load().then(
      (value) => {
        this.#inflight.delete(id);
        if (cacheable(value)) this.#store(id, value);
        return value;
      },
      (error: unknown) => {
        this.#inflight.delete(id);
        throw error;
      },
    );
    this.#inflight.set(id, loading);
    return loading;
  }

  evict(id: string): void {
    this.#entries.delete(id);
  }

  #store(id: string, value: T): void {
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, { value, expires: Date.now() + this.ttlMs });
  }
}
