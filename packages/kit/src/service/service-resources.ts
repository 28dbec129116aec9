import type pg from "pg";
import { ConfigError } from "../config/config.ts";
import { createDb, createPool, type Kysely } from "../db/database.ts";
import { migrate, readMigrations } from "../db/migrations.ts";
import type { EventBus } from "../events/bus.ts";
import { createEventBus, type EventBusConfig } from "../events/bus-config.ts";
import {
  createEventConsumers,
  type EventConsumers,
  type EventConsumersOptions,
} from "../events/consumers.ts";
import { kitMigrations } from "../events/migrations.ts";
import { startOutboxMonitor } from "../events/outbox-monitor.ts";
import { type Relay, type RelayOptions, startRelay } from "../events/relay.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { startTimerRunner, type TimerRunnerOptions } from "../timers/timer-runner.ts";
import type { ServiceEnv } from "./service-env.ts";

/** What the resources read from any service's parsed config. */
export type BaseResourcesConfig = Partial<
  Pick<
    ServiceEnv,
    | "DB_STATEMENT_TIMEOUT_MS"
    | "DB_LOCK_TIMEOUT_MS"
    | "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"
    | "DATABASE_POOL_SIZE"
    | "DATABASE_IDLE_TIMEOUT_MS"
  >
> &
  Pick<ServiceEnv, "LOG_LEVEL" | "LOG_FORMAT"> & { DATABASE_URL: string };

/** What the resources read from a service's parsed config (`serviceEnvShape` + `eventBusEnvShape` + DATABASE_URL). */
export type ServiceResourcesConfig = BaseResourcesConfig & EventBusConfig;

interface CommonResourcesOptions {
  /** The service's name: logger field, pool application name, NATS connection name. */
  name: string;
  /** The service's `NNNN_name.sql` directory; applied after the kit's own tables. */
  migrationsDir?: string;
  /** A logger to use instead of one built from LOG_LEVEL/LOG_FORMAT (tests pass a quiet one). */
  logger?: Logger;
  /** Connections at most in the service's pool unless DATABASE_POOL_SIZE says otherwise; default 10. */
  poolMax?: number;
  /** Relay tuning (batch size, poll interval...). */
  relay?: Omit<RelayOptions, "pool" | "bus" | "logger">;
  /** How often the outbox backlog gauges are refreshed; default 5 s. */
  outboxMonitorIntervalMs?: number;
}

export type ServiceResourcesOptions = CommonResourcesOptions &
  (
    | {
        /** Apply the kit's tables (outbox, inbox, dead letters, timers); default true. */
        kitTables?: true;
        config: ServiceResourcesConfig;
      }
    | {
        /**
         * No kit tables: no outbox to relay, no inbox to consume into and no timers, so no bus
         * is opened (and none is missed) whatever the environment says.
         */
        kitTables: false;
        config: BaseResourcesConfig;
      }
  );

/** Tuning for `startConsumers`, besides the handlers it registers. */
export type ConsumerTuning<DB> = Omit<EventConsumersOptions<DB>, "db" | "pool" | "bus" | "logger">;

/** Tuning for `startTimers`. */
export type TimerTuning<DB> = Omit<TimerRunnerOptions<DB>, "db" | "pool" | "logger">;

/** A service's opened infrastructure; `close()` releases all of it in order. */
export interface ServiceResources<DB> {
  logger: Logger;
  pool: pg.Pool;
  db: Kysely<DB>;
  /** The bus `createEventBus` chose; undefined with `EVENT_BUS=none` or without kit tables. */
  bus: EventBus | undefined;
  /** The started outbox relay, when there is a bus. */
  relay: Relay | undefined;
  /**
   * Registers handlers via `subscribe` and starts consuming; stopped by `close()`. Without a bus
   * (`EVENT_BUS=none`) nothing is registered and it returns undefined (start-up already warned).
   */
  startConsumers(
    subscribe: (consumers: EventConsumers<DB>) => void,
    tuning?: ConsumerTuning<DB>,
  ): Promise<EventConsumers<DB> | undefined>;
  /** Starts the kit's durable timer runner over the service's database; stopped by `close()`. */
  startTimers(options: TimerTuning<DB>): { stop(): Promise<void> };
  /** Adds a clean-up (a gRPC client, an HTTP server...) run after the workers stop, before the bus and pool close; last added runs first. */
  onClose(cleanup: () => unknown): void;
  /** Stops timers, consumers and the relay, runs `onClose` clean-ups, closes the bus, ends the pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens what every service needs before it can serve: logger, pool, migrations (kit tables
 * first), the configured event bus and a started outbox relay. If any step fails, what was
 * opened is closed again and the error is rethrown.
 */
export async function openServiceResources<DB>(
  options: ServiceResourcesOptions,
): Promise<ServiceResources<DB>> {
  const { name, config } = options;
  const logger =
    options.logger ?? createLogger({ service: name, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const pool = createPool({
    url: config.DATABASE_URL,
    applicationName: name,
    max: config.DATABASE_POOL_SIZE ?? options.poolMax,
    idleTimeoutMs: config.DATABASE_IDLE_TIMEOUT_MS,
    logger,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  const db = createDb<DB>(pool);
  const workers: { stop(): Promise<void> }[] = [];
  const cleanups: (() => unknown)[] = [];
  let bus: EventBus | undefined;
  let relay: Relay | undefined;
  let closing: Promise<void> | undefined;

  const step = async (what: string, fn: () => unknown): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      // Keep going: a failed step must not leave the pool (and the process) open.
      logger.error({ err: error }, `closing ${what} failed`);
    }
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Workers first (newest first: timers and consumers may write outbox rows the relay
      // would deliver), then the service's own clean-ups, then the bus they all used, then the pool.
      for (const worker of workers.splice(0).reverse()) await step("worker", () => worker.stop());
      for (const cleanup of cleanups.splice(0).reverse()) await step("resource", cleanup);
      if (bus) await step("event bus", () => bus?.close());
      await step("database pool", () => pool.end());
    })();
    return closing;
  };

  try {
    const own = options.migrationsDir ? readMigrations(options.migrationsDir) : [];
    if (options.kitTables === false) {
      await migrate(pool, own);
    } else {
      const busConfig = options.config;
      if (busConfig.EVENT_BUS === "postgres" && !busConfig.BUS_DATABASE_URL) {
        // Starting anyway would pile events up unseen: the operator must choose.
        throw new ConfigError(name, [
          {
            variable: "BUS_DATABASE_URL",
            message:
              "is required with EVENT_BUS=postgres (the default); set EVENT_BUS=none to run without a bus",
          },
        ]);
      }
      await migrate(pool, [...kitMigrations, ...own]);
      workers.push(
        startOutboxMonitor({ pool, service: name, logger, intervalMs: options.outboxMonitorIntervalMs }),
      );
      if (busConfig.EVENT_BUS === "none") {
        logger.warn(
          `EVENT_BUS=none: ${name} publishes nothing (events stay in the outbox, see toko_outbox_pending_events) and consumes nothing`,
        );
      } else {
        // An unreachable bus fails here, and with it the start.
        bus = await createEventBus(busConfig, name, logger, config.DATABASE_IDLE_TIMEOUT_MS);
        relay = startRelay({ ...options.relay, pool, bus, logger });
        workers.push(relay);
      }
    }
  } catch (error) {
    await close();
    throw error;
  }

  return {
    logger,
    pool,
    db,
    bus,
    relay,
    async startConsumers(subscribe, tuning = {}) {
      if (!bus) return undefined;
      const consumers = createEventConsumers<DB>({
        inboxRetentionMs: options.kitTables === false ? undefined : options.config.EVENT_INBOX_RETENTION_MS,
        ...tuning,
        db,
        pool,
        bus,
        logger,
      });
      subscribe(consumers);
      workers.push(consumers);
      await consumers.start();
      return consumers;
    },
    startTimers(tuning) {
      const timers = startTimerRunner<DB>({ ...tuning, db, pool, logger });
      workers.push(timers);
      return timers;
    },
    onClose(cleanup) {
      cleanups.push(cleanup);
    },
    close,
  };
}
