/**
 * Serialized rate answers by request URL for a short time. Quotes depend only on the rate
 * tables bundled with the shipping service, so every caller asking the same question gets the
 * same bytes; a checkout page asks again on every render. Bounded: the least recently used
 * answer goes first.
 */
export class RatesCache<B = string> {
  readonly #entries = new Map<string, { body: B; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached body for `key`, unless it expired. */
  get(key: string): B | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.until <= this.now()) return undefined;
    // Re-inserting marks it most recently used (a Map iterates in insertion order).
    this.#entries.set(key, entry);
    return entry.body;
  }

  set(key: string, body: B): void {
    this.#entries.delete(key);
    this.#entries.set(key, { body, until: this.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
