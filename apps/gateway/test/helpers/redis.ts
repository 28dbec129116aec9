import { Redis } from "ioredis";

export const REDIS_URL = process.env.TOKO_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether the machine's Redis answers. Outside CI an unreachable Redis skips the Redis half
 * (with a message); with CI=true it is a failure, so CI can never silently skip it.
 */
export async function redisAvailable(): Promise<true | string> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    const message = `Redis at ${REDIS_URL} unreachable: ${(error as Error).message}`;
    if (process.env.CI === "true") throw new Error(message);
    return message;
  } finally {
    redis.disconnect();
  }
}
