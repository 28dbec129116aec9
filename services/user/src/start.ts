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
import { seedAdmin } from "./application/admin-seed.ts";
import type { UserDeps, UserSettings } from "./application/deps.ts";
import type { UserConfig } from "./config.ts";
import { PasswordPolicy } from "./domain/password-policy.ts";
import { loadCommonPasswords } from "./infrastructure/common-passwords.ts";
import type { UserDatabase } from "./infrastructure/db-schema.ts";
import { createArgon2Hasher, type PasswordHasher } from "./infrastructure/password-hasher.ts";
import { userGrpcService } from "./transport/grpc-user-service.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock, a quiet logger and an instrumented hasher. */
export interface UserOverrides {
  now?: () => Date;
  logger?: Logger;
  hasher?: PasswordHasher;
}

/** The use-case settings from configuration. */
export function settingsFrom(config: UserConfig): UserSettings {
  const lock = {
    baseDelayMs: config.USER_LOCKOUT_BASE_MS,
    maxDelayMs: config.USER_LOCKOUT_MAX_MS,
    resetAfterMs: config.USER_LOCKOUT_RESET_MS,
  };
  return {
    publicOrigin: config.TOKO_PUBLIC_ORIGIN,
    verifyEmailTtlMs: config.USER_VERIFY_EMAIL_TTL_MS,
    resetPasswordTtlMs: config.USER_RESET_PASSWORD_TTL_MS,
    maxResetRequests: 3,
    lockout: {
      account: { threshold: config.USER_LOCKOUT_ACCOUNT_THRESHOLD, ...lock },
      address: { threshold: config.USER_LOCKOUT_ADDRESS_THRESHOLD, ...lock },
    },
    maxWishlistItems: config.USER_WISHLIST_MAX,
  };
}

/**
 * Wires the user service: migrates its database, seeds the admin, starts the outbox relay
 * (when a bus is configured) and serves gRPC plus the ops port.
 */
export async function startUser(config: UserConfig, overrides: UserOverrides = {}): Promise<RunningService> {
  const logger =
    overrides.logger ?? createLogger({ service: "user", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "user" });
  let bus: EventBus | undefined;
  let relay: Relay | undefined;
  let deps: UserDeps;
  try {
    await migrate(pool, [...kitMigrations, ...readMigrations(migrationsDir)]);
    deps = {
      db: createDb<UserDatabase>(pool),
      hasher: overrides.hasher ?? (await createArgon2Hasher()),
      policy: new PasswordPolicy(loadCommonPasswords()),
      outbox: createOutbox("user"),
      clock: overrides.now ?? (() => new Date()),
      settings: settingsFrom(config),
    };
    await seedAdmin(deps, logger, { email: config.TOKO_ADMIN_EMAIL, password: config.TOKO_ADMIN_PASSWORD });
    if (config.BUS_DATABASE_URL) {
      bus = await createPostgresBus({ url: config.BUS_DATABASE_URL });
      relay = startRelay({ pool, bus, logger });
    } else {
      logger.warn("BUS_DATABASE_URL is not set: user events stay in the outbox until a bus is configured");
    }
  } catch (error) {
    await bus?.close().catch(() => {});
    await pool.end();
    throw error;
  }
  return startService({
    name: "user",
    env: config,
    logger,
    services: [userGrpcService(deps)],
    readiness: { database: () => pool.query("SELECT 1") },
    onShutdown: [async () => relay?.stop(), async () => bus?.close(), () => pool.end()],
    internalSecret: config.TOKO_INTERNAL_SECRET,
  });
}
