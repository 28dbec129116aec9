import type { RateLimitStore, WindowHit } from "./store.ts";

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters in a Map: one lookup and one increment per request, answered
 * synchronously; an expired window is reused in place. One interval for the whole store (not a
 * timer per key or request) sweeps windows that ended, so idle clients do not accumulate.
 */
export function createMemoryRateLimitStore(sweepEveryMs = 60_000): RateLimitStore {
  const windows = new Map<string, Window>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
  }, sweepEveryMs);
  sweep.unref();
  return {
    hit(key, windowMs): WindowHit {
      const now = Date.now();
      const w = windows.get(key);
      if (w === undefined) {
        windows.set(key, { count: 1, resetAt: now + windowMs });
        return { count: 1, resetMs: windowMs };
      }
      if (w.resetAt <= now) {
        w.count = 0;
        w.resetAt = now + windowMs;
      }
      w.count += 1;
      return { count: w.count, resetMs: w.resetAt - now };
    },
    peek(key, windowMs): WindowHit {
      const now = Date.now();
      const w = windows.get(key);
      if (w === undefined || w.resetAt <= now) return { count: 0, resetMs: windowMs };
      return { count: w.count, resetMs: w.resetAt - now };
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}
