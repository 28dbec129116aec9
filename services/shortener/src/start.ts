import { join } from "node:path";
import {
  createDb,
  createLogger,
  createOutbox,
  createPool,
  createPostgresBus,
  type EventBus,
  kitMigrations,
  type Logger,
  migrate,
  type Relay,
  type RunningService,
  readMigrations,
  startRelay,
  startService,
} from "@toko/kit";
import { ClickRepository } from "./click-repository.ts";
import { ClickService } from "./clicks.ts";
import type { ShortenerConfig } from "./config.ts";
import { LinkRepository, type ShortenerDb } from "./repository.ts";
import { LinkResolver } from "./resolver.ts";
import { LinkService } from "./service.ts";
import { shortenerGrpcService } from "./transport/grpc-shortener.ts";
import { outboxLinkEvents } from "./transport/link-events.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock and code source, a quiet logger. */
export interface ShortenerOverrides {
  now?: () => Date;
  generateCode?: () => string;
  logger?: Logger;
}

/**
 * Wires the shortener: migrates its database, builds the services, starts the outbox relay
 * (when a bus is configured) and serves gRPC plus the ops port.
 */
export async function startShortener(
  config: ShortenerConfig,
  overrides: ShortenerOverrides = {},
): Promise<RunningService> {
  const logger =
    overrides.logger ??
    createLogger({ service: "shortener", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "shortener" });
  let bus: EventBus | undefined;
  let relay: Relay | undefined;
  try {
    await migrate(pool, [...kitMigrations, ...readMigrations(migrationsDir)]);
    if (config.BUS_DATABASE_URL) {
      bus = await createPostgresBus({ url: config.BUS_DATABASE_URL });
      relay = startRelay({ pool, bus, logger });
    } else {
      logger.warn(
        "BUS_DATABASE_URL is not set: LinkCreated events stay in the outbox until a bus is configured",
      );
    }
  } catch (error) {
    await bus?.close().catch(() => {});
    await pool.end();
    throw error;
  }
  const db = createDb<ShortenerDb>(pool);
  const repository = new LinkRepository(db);
  const now = overrides.now;
  const resolver = new LinkResolver(repository, {
    cacheSize: config.LINK_CACHE_SIZE,
    cacheTtlMs: config.LINK_CACHE_TTL_MS,
    now,
  });
  const links = new LinkService(db, repository, outboxLinkEvents(createOutbox("shortener")), resolver, {
    shortLinkHost: new URL(config.TOKO_PUBLIC_ORIGIN).hostname,
    quotaPerDay: config.LINK_QUOTA_PER_DAY,
    now,
    generateCode: overrides.generateCode,
  });
  const clicks = new ClickService(new ClickRepository(db), links);
  return startService({
    name: "shortener",
    env: config,
    logger,
    services: [shortenerGrpcService({ links, resolver, clicks, publicOrigin: config.TOKO_PUBLIC_ORIGIN })],
    readiness: { database: () => pool.query("SELECT 1") },
    onShutdown: [async () => relay?.stop(), async () => bus?.close(), () => pool.end()],
  });
}
