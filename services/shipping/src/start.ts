import { createHmac } from "node:crypto";
import { join } from "node:path";
import { bootstrapService, createDb, type Logger, type RunningService, uuidv7 } from "@toko/kit";
import type pg from "pg";
import type { ShippingDeps, SimulatorSettings } from "./application/ports.ts";
import { QuoteCache } from "./application/quote-cache.ts";
import type { ShippingConfig } from "./config.ts";
import { CARRIERS } from "./data/carriers/index.ts";
import { CITY_ALIASES, PROVINCES, REMOTE_ISLANDS } from "./data/indonesia.ts";
import { CityTable } from "./domain/geography.ts";
import { hmacWebhookVerifier } from "./infrastructure/hmac-webhook-verifier.ts";
import { pgShippingReads } from "./infrastructure/pg-shipping-reads.ts";
import { pgUnitOfWork } from "./infrastructure/pg-shipping-tx.ts";
import type { ShippingDatabase } from "./infrastructure/schema.ts";
import { carrierDirectory, tableCarrier } from "./infrastructure/table-carriers.ts";
import { shippingGrpcService } from "./transport/grpc-shipping-service.ts";
import { outboxEvents } from "./transport/shipping-events.ts";
import { shippingTimers } from "./transport/timers.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock, a quiet logger. */
export interface ShippingOverrides {
  now?: () => Date;
  logger?: Logger;
}

/** Indonesia's provinces and cities, from the bundled table. */
export const cityTable = (): CityTable =>
  new CityTable({ provinces: PROVINCES, cityAliases: CITY_ALIASES, remoteIslands: REMOTE_ISLANDS });

/**
 * A carrier's webhook secret: the configured one, else in development one derived from the
 * internal secret (what the simulated carriers and tests use). No secret → never verifies.
 */
export function webhookSecret(
  config: Pick<ShippingConfig, "SHIPPING_WEBHOOK_SECRETS" | "TOKO_INTERNAL_SECRET" | "TOKO_ENV">,
  carrier: string,
): string | undefined {
  const configured = config.SHIPPING_WEBHOOK_SECRETS.get(carrier);
  if (configured) return configured;
  if (config.TOKO_ENV !== "development" || !config.TOKO_INTERNAL_SECRET) return undefined;
  return createHmac("sha256", config.TOKO_INTERNAL_SECRET)
    .update(`shipping-webhook:${carrier}`)
    .digest("hex");
}

/** Builds the use-case dependencies over a database. */
export function shippingDeps(
  pool: pg.Pool,
  config: ShippingConfig,
  now: () => Date = () => new Date(),
): ShippingDeps {
  const db = createDb<ShippingDatabase>(pool);
  const secrets = new Map<string, string>();
  for (const c of CARRIERS) {
    const secret = webhookSecret(config, c.code);
    if (secret) secrets.set(c.code, secret);
  }
  const simulator: SimulatorSettings = {
    enabled: config.SHIPPING_SIMULATOR,
    stepMs: config.SHIPPING_SIMULATOR_STEP_MS,
  };
  return {
    uow: pgUnitOfWork(db, outboxEvents),
    reads: pgShippingReads(db),
    cities: cityTable(),
    carriers: carrierDirectory(CARRIERS.map((c) => tableCarrier(c))),
    verifier: hmacWebhookVerifier(secrets),
    quotes: new QuoteCache(config.SHIPPING_QUOTE_CACHE_TTL_MS, config.SHIPPING_QUOTE_CACHE_SIZE),
    simulator,
    clock: { now },
    newId: () => uuidv7(),
  };
}

/**
 * Wires the shipping service through the kit's start-up path: migrates, starts the outbox
 * relay (when a bus is configured), the simulated carrier's timers, and serves gRPC plus the
 * ops port.
 */
export function startShipping(
  config: ShippingConfig,
  overrides: ShippingOverrides = {},
): Promise<RunningService> {
  return bootstrapService<ShippingDatabase>(
    { name: "shipping", config, migrationsDir, logger: overrides.logger },
    async ({ pool, startTimers }) => {
      const deps = shippingDeps(pool, config, overrides.now);
      startTimers(shippingTimers(deps));
      return { services: [shippingGrpcService(deps)], internalSecret: config.TOKO_INTERNAL_SECRET };
    },
  );
}
