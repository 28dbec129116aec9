/**
 * Recent quote answers by their inputs, for a short time: checkout pages ask for the same
 * route and parcel again and again. Bounded; the oldest entry goes first when full.
 */
export class QuoteCache<V = unknown> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The cached value for `key`, unless expired at `nowMs`. */
  get(key: string, nowMs: number): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: nowMs + this.ttlMs });
  }

  get size(): number {
    return this.#entries.size;
  }
}
