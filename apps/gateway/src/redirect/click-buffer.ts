import { randomUUID } from "node:crypto";

/** One redirect served, as the statistics need it. */
export interface ClickEvent {
  code: string;
  at: Date;
  referrerHost: string;
  userAgent: string;
  userAgentFamily: string;
}

/** Delivers one batch; the batch id makes a retried delivery count once. */
export type SendClicks = (batchId: string, clicks: readonly ClickEvent[]) => Promise<void>;

export interface ClickBufferOptions {
  send: SendClicks;
  /** Clicks per RecordClicks call. */
  maxBatch?: number;
  flushEveryMs?: number;
  /** Clicks held at most while the service is unreachable; the oldest are dropped beyond it. */
  maxBuffered?: number;
  onDropped?: (count: number) => void;
  onError?: (error: unknown) => void;
}

interface Batch {
  id: string;
  clicks: ClickEvent[];
}

/**
 * Clicks collected off the redirect path and written in batches, on a timer or when a batch
 * fills. A failed batch keeps its id and is retried as is, so the service dedupes it.
 */
export class ClickBuffer {
  readonly #send: SendClicks;
  readonly #maxBatch: number;
  readonly #maxBuffered: number;
  readonly #options: ClickBufferOptions;
  readonly #pending: Batch[] = [];
  #open: ClickEvent[] = [];
  #buffered = 0;
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout;

  constructor(options: ClickBufferOptions) {
    this.#options = options;
    this.#send = options.send;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
    this.#timer = setInterval(() => void this.flush(), options.flushEveryMs ?? 1_000);
    this.#timer.unref();
  }

  /** Clicks not yet acknowledged by the service. */
  get buffered(): number {
    return this.#buffered;
  }

  record(click: ClickEvent): void {
    this.#open.push(click);
    this.#buffered += 1;
    if (this.#open.length >= this.#maxBatch) this.#cut();
    if (this.#buffered > this.#maxBuffered) this.#dropOldest(this.#buffered - this.#maxBuffered);
    if (this.#pending.length > 0 && !this.#flushing && this.#open.length === 0) void this.flush();
  }

  /** Sends every pending batch in order; stops at the first failure (kept for the next try). */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** Stops the timer and makes a last delivery attempt (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    // A flush already running when close() was called may have failed: try once more.
    if (this.#buffered > 0) await this.flush();
  }

  async #drain(): Promise<void> {
    for (;;) {
      this.#cut();
      const batch = this.#pending.shift();
      if (!batch) return;
      // Out of #pending while in flight: drops never touch what the service may be recording.
      try {
        await this.#send(batch.id, batch.clicks);
        this.#buffered -= batch.clicks.length;
      } catch (error) {
        this.#pending.unshift(batch);
        this.#options.onError?.(error);
        return;
      }
    }
  }

  #cut(): void {
    if (this.#open.length === 0) return;
    this.#pending.push({ id: randomUUID(), clicks: this.#open });
    this.#open = [];
  }

  /** Drops the oldest clicks not in flight; a trimmed batch keeps its id (the service dedupes by it). */
  #dropOldest(count: number): void {
    let left = count;
    while (left > 0 && this.#pending.length > 0) {
      const batch = this.#pending[0] as Batch;
      const n = Math.min(left, batch.clicks.length);
      batch.clicks.splice(0, n);
      if (batch.clicks.length === 0) this.#pending.shift();
      left -= n;
    }
    const fromOpen = Math.min(left, this.#open.length);
    this.#open.splice(0, fromOpen);
    const dropped = count - left + fromOpen;
    this.#buffered -= dropped;
    this.#options.onDropped?.(dropped);
  }
}
