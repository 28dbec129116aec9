import type { RateLimitStore, WindowHit } from "./store.ts";

/** Fixed-window counters in a Map, swept periodically so idle clients do not accumulate. */
export function createMemoryRateLimitStore(sweepEveryMs = 60_000): RateLimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
  }, sweepEveryMs);
  sweep.unref();
  return {
    async hit(key, windowMs): Promise<WindowHit> {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetMs: w.resetAt - now };
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}
