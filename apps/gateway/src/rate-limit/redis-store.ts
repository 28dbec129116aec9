import { Redis } from "ioredis";
import type { RateLimitStore, WindowHit } from "./store.ts";

// INCR and PEXPIRE in one atomic step: the first hit of a window starts its clock.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

// The count and time left of an open window, counting nothing.
const peekScript = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

/** Fixed-window counters shared by every gateway replica through Redis. */
export function createRedisRateLimitStore(url: string, prefix = "toko:gw:rl:"): RateLimitStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => {
    // Reported per call by hit(); ioredis reconnects by itself.
  });
  redis.defineCommand("tokoHit", { numberOfKeys: 1, lua: hitScript });
  redis.defineCommand("tokoPeek", { numberOfKeys: 1, lua: peekScript });
  const run = redis as unknown as {
    tokoHit(key: string, windowMs: number): Promise<[number, number]>;
    tokoPeek(key: string, windowMs: number): Promise<[number, number]>;
  };
  return {
    async hit(key, windowMs): Promise<WindowHit> {
      const [count, ttl] = await run.tokoHit(prefix + key, windowMs);
      return { count: Number(count), resetMs: Number(ttl) };
    },
    async peek(key, windowMs): Promise<WindowHit> {
      const [count, ttl] = await run.tokoPeek(prefix + key, windowMs);
      return { count: Number(count), resetMs: Number(ttl) };
    },
    async close() {
      redis.disconnect();
    },
  };
}
