/** A cached answer; `fresh` is false once it is past its TTL but still within the stale grace. */
export interface CachedRates<B> {
  body: B;
  fresh: boolean;
}

/**
 * Serialized rate answers by request URL. Quotes depend only on the rate tables bundled with
 * the shipping service, so every caller asking the same question gets the same bytes; a
 * checkout page asks again on every render. An answer is fresh for `ttlMs`, then may still be
 * served for `staleMs` while one refresh runs in the background — answers cached together
 * would otherwise expire together and send a burst of misses to the service. Bounded: the
 * least recently used answer goes first.
 */
export class RatesCache<B = string> {
  readonly #entries = new Map<string, { body: B; freshUntil: number; staleUntil: number }>();
  readonly #refreshing = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly staleMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached answer for `key`, unless it is past the stale grace too. */
  get(key: string): CachedRates<B> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    const now = this.now();
    if (entry.staleUntil <= now) return undefined;
    // Re-inserting marks it most recently used (a Map iterates in insertion order).
    this.#entries.set(key, entry);
    return { body: entry.body, fresh: entry.freshUntil > now };
  }

  set(key: string, body: B): void {
    const now = this.now();
    this.#entries.delete(key);
    this.#entries.set(key, {
      body,
      freshUntil: now + this.ttlMs,
      staleUntil: now + this.ttlMs + this.staleMs,
    });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /**
   * Runs `load` to refresh a stale answer unless a refresh of `key` is already running; a
   * failed refresh leaves the stale answer until its grace ends.
   */
  refresh(key: string, load: () => Promise<B>, onError: (error: unknown) => void): void {
    if (this.#refreshing.has(key)) return;
    this.#refreshing.add(key);
    load()
      .then((body) => this.set(key, body), onError)
      .finally(() => this.#refreshing.delete(key));
  }
}
