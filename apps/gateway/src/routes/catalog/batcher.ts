/**
 * Gathers the keys asked for during one turn of the event loop into one batched fetch (the
 * DataLoader pattern): under load, the misses of many concurrent requests share one call and
 * one query instead of paying a round trip each; alone, a key waits only for the turn to end.
 * Keys asked twice in a turn are fetched once; a failed fetch fails every key in it.
 */
export class Batcher<V> {
  #queue = new Map<string, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();
  #scheduled = false;

  constructor(
    /** Fetches the values of `keys`; a key missing from the map has no value. */
    private readonly fetch: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxBatch: number,
  ) {}

  /** The value of `key`, or undefined when there is none. */
  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.#queue.set(key, [{ resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const all = [...this.#queue];
    this.#queue = new Map();
    for (let i = 0; i < all.length; i += this.maxBatch) {
      const batch = all.slice(i, i + this.maxBatch);
      this.fetch(batch.map(([key]) => key)).then(
        (values) => {
          for (const [key, waiters] of batch) for (const w of waiters) w.resolve(values.get(key));
        },
        (error: unknown) => {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
        },
      );
    }
  }
}
