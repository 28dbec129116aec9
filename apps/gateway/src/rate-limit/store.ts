/** One counted request in a fixed window. */
export interface WindowHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Where rate-limit counters live: process memory, or Redis so that every gateway replica shares them. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  close(): Promise<void>;
}
