import type { IdempotencyRecord, IdempotencyStore } from "./store.ts";

/**
 * In-process idempotency records with expiry, swept periodically, and at most `maxEntries`
 * of them (the oldest go first) so a flood of keys cannot exhaust memory.
 */
export function createMemoryIdempotencyStore(sweepEveryMs = 60_000, maxEntries = 100_000): IdempotencyStore {
  const records = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, r] of records) if (r.expiresAt <= now) records.delete(key);
  }, sweepEveryMs);
  sweep.unref();
  return {
    async claim(key, fingerprint, ttlMs) {
      const existing = records.get(key);
      if (existing && existing.expiresAt > Date.now()) return existing.record;
      records.delete(key);
      records.set(key, { record: { state: "in_flight", fingerprint }, expiresAt: Date.now() + ttlMs });
      // Maps iterate in insertion order: the first key is the oldest.
      while (records.size > maxEntries) {
        const oldest = records.keys().next().value;
        if (oldest === undefined) break;
        records.delete(oldest);
      }
      return null;
    },
    async complete(key, fingerprint, response, ttlMs) {
      records.set(key, { record: { state: "done", fingerprint, response }, expiresAt: Date.now() + ttlMs });
    },
    async release(key) {
      records.delete(key);
    },
    async close() {
      clearInterval(sweep);
      records.clear();
    },
  };
}
