import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

// serviceEnvShape brings LOG_*, GRPC_*, OPS_PORT, SHUTDOWN_GRACE_MS, tracing and TOKO_INTERNAL_SECRET;
// eventBusEnvShape brings EVENT_BUS (postgres | nats | none), BUS_DATABASE_URL and NATS_URL: the outbox
// relay delivers LinkCreated to that bus (required unless EVENT_BUS=none).
const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The public origin; its host is the short-link host (loop detection) and prefixes short_url. */
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  /** Links one user may create per rolling 24 hours. */
  LINK_QUOTA_PER_DAY: z.coerce.number().int().min(1).default(100),
  /** Resolutions kept in memory (0 disables the cache). */
  LINK_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
  /** Longest time a resolution stays cached, bounding staleness across replicas after a disable. */
  LINK_CACHE_TTL_MS: env.duration(30_000),
});

/** The shortener's configuration, parsed once at start-up. */
export type ShortenerConfig = z.infer<typeof schema>;

/** Reads and validates the shortener's environment. */
export function loadShortenerConfig(source?: Record<string, string | undefined>): ShortenerConfig {
  return loadConfig("shortener", schema, source);
}
