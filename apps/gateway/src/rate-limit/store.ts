/** One counted request in a fixed window. */
export interface WindowHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Where rate-limit counters live: process memory, or Redis so that every gateway replica shares them. */
export interface RateLimitStore {
  /**
   * Counts one request for `key`. The memory store answers synchronously (no promise on the hot
   * path); a shared store answers with a promise.
   */
  hit(key: string, windowMs: number): WindowHit | Promise<WindowHit>;
  /** The current window's count for `key` without counting (0 and a full window when none is open). */
  peek(key: string, windowMs: number): WindowHit | Promise<WindowHit>;
  close(): Promise<void>;
}
