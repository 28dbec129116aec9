/**
 * Gathers the keys asked for into batched fetches (the DataLoader pattern): under load, the
 * misses of many concurrent requests share one call and one query instead of paying a round
 * trip each. When no fetch is running, the keys of one turn of the event loop go at its end, so
 * a key alone waits for nothing more; while fetches are running (the service is busy anyway),
 * keys gather until the last of them finishes, for at most `windowMs`, so there are fewer,
 * fuller calls — each call costs both sides a fixed amount of CPU, which under load is what
 * queues every request behind it. A batch also goes as soon as it is full. Keys asked twice in a batch are fetched once; a
 * failed fetch fails every key in it.
 */
export class Batcher<V> {
  #queue = new Map<string, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();
  #timer:
    | { kind: "timeout"; handle: NodeJS.Timeout }
    | { kind: "immediate"; handle: NodeJS.Immediate }
    | undefined;
  #running = 0;

  constructor(
    /** Fetches the values of `keys`; a key missing from the map has no value. */
    private readonly fetch: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxBatch: number,
    /** How long keys may gather while fetches are running; 0 = only ever to the end of the turn. */
    private readonly windowMs = 0,
  ) {}

  /** The value of `key`, or undefined when there is none. */
  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#queue.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.#queue.set(key, [{ resolve, reject }]);
      if (this.#queue.size >= this.maxBatch) this.#flush();
      else if (this.#timer === undefined) {
        this.#timer =
          this.#running > 0 && this.windowMs > 0
            ? { kind: "timeout", handle: setTimeout(() => this.#flush(), this.windowMs) }
            : { kind: "immediate", handle: setImmediate(() => this.#flush()) };
      }
    });
  }

  #flush(): void {
    const timer = this.#timer;
    if (timer?.kind === "timeout") clearTimeout(timer.handle);
    else if (timer?.kind === "immediate") clearImmediate(timer.handle);
    this.#timer = undefined;
    const all = [...this.#queue];
    this.#queue = new Map();
    for (let i = 0; i < all.length; i += this.maxBatch) {
      const batch = all.slice(i, i + this.maxBatch);
      this.#running++;
      this.fetch(batch.map(([key]) => key))
        .then(
          (values) => {
            for (const [key, waiters] of batch) for (const w of waiters) w.resolve(values.get(key));
          },
          (error: unknown) => {
            for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
          },
        )
        .finally(() => {
          this.#running--;
          // The service is free again: what gathered meanwhile goes now, not at the window's end.
          if (this.#running === 0 && this.#queue.size > 0) this.#flush();
        });
    }
  }
}
