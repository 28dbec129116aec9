/**
 * A bounded least-recently-used map with per-entry expiry. Reading an expired entry drops it,
 * so an entry can never be served after its deadline, whatever the capacity.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(
    readonly capacity: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError("capacity must be an integer ≥ 0");
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The live value for `key`, refreshed as most recently used; undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAtMs <= this.nowMs()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` until `expiresAtMs` (exclusive), evicting the least recently used entry if full. */
  set(key: string, value: V, expiresAtMs: number): void {
    if (this.capacity === 0 || expiresAtMs <= this.nowMs()) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAtMs });
    while (this.#entries.size > this.capacity) {
      // Map iterates in insertion order, so the first key is the least recently used.
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
