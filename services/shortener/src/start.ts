import { join } from "node:path";
import { bootstrapService, createOutbox, type Logger, type RunningService } from "@toko/kit";
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
 * Wires the shortener: migrates its database, builds the services, starts the outbox relay on
 * the configured bus (EVENT_BUS, BUS_DATABASE_URL) and serves gRPC plus the ops port.
 */
export function startShortener(
  config: ShortenerConfig,
  overrides: ShortenerOverrides = {},
): Promise<RunningService> {
  return bootstrapService<ShortenerDb>(
    { name: "shortener", config, migrationsDir, logger: overrides.logger },
    ({ db }) => {
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
      return {
        services: [
          shortenerGrpcService({ links, resolver, clicks, publicOrigin: config.TOKO_PUBLIC_ORIGIN }),
        ],
      };
    },
  );
}
