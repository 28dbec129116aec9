import { Redis } from "ioredis";
import type { IdempotencyRecord, IdempotencyStore } from "./store.ts";

/** Idempotency records in Redis: `SET NX PX` claims a key atomically across replicas. */
export function createRedisIdempotencyStore(url: string, prefix = "toko:gw:idem:"): IdempotencyStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => {
    // Surfaced by the failing call; ioredis reconnects by itself.
  });
  return {
    async claim(key, fingerprint, ttlMs) {
      const inFlight: IdempotencyRecord = { state: "in_flight", fingerprint };
      const ok = await redis.set(prefix + key, JSON.stringify(inFlight), "PX", ttlMs, "NX");
      if (ok === "OK") return null;
      const raw = await redis.get(prefix + key);
      // Expired between the two calls: claim again once.
      if (raw === null)
        return (await redis.set(prefix + key, JSON.stringify(inFlight), "PX", ttlMs, "NX")) === "OK"
          ? null
          : inFlight;
      return JSON.parse(raw) as IdempotencyRecord;
    },
    async complete(key, fingerprint, response, ttlMs) {
      const done: IdempotencyRecord = { state: "done", fingerprint, response };
      await redis.set(prefix + key, JSON.stringify(done), "PX", ttlMs);
    },
    async release(key) {
      await redis.del(prefix + key);
    },
    async close() {
      redis.disconnect();
    },
  };
}
