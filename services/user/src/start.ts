import { join } from "node:path";
import {
  bootstrapService,
  createOutbox,
  type Logger,
  type RunningService,
  scheduleTimer,
  transaction,
} from "@toko/kit";
import { seedAdmin } from "./application/admin-seed.ts";
import type { UserDeps, UserSettings } from "./application/deps.ts";
import { PRUNE_TIMER, pruneAndReschedule } from "./application/retention.ts";
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
    notificationPublicKey: config.TOKO_NOTIFICATION_PUBLIC_KEY,
    verifyEmailTtlMs: config.USER_VERIFY_EMAIL_TTL_MS,
    resetPasswordTtlMs: config.USER_RESET_PASSWORD_TTL_MS,
    maxResetRequests: 3,
    lockout: {
      account: { threshold: config.USER_LOCKOUT_ACCOUNT_THRESHOLD, ...lock },
      address: { threshold: config.USER_LOCKOUT_ADDRESS_THRESHOLD, ...lock },
    },
    maxWishlistItems: config.USER_WISHLIST_MAX,
    retention: {
      tokenRetentionMs: config.USER_TOKEN_RETENTION_MS,
      pruneEveryMs: config.USER_PRUNE_INTERVAL_MS,
    },
  };
}

/**
 * Wires the user service: migrates its database, seeds the admin, starts the outbox relay on
 * the configured bus (EVENT_BUS, BUS_DATABASE_URL) and serves gRPC plus the ops port.
 */
export function startUser(config: UserConfig, overrides: UserOverrides = {}): Promise<RunningService> {
  return bootstrapService<UserDatabase>(
    { name: "user", config, migrationsDir, logger: overrides.logger },
    async ({ db, logger, startTimers }) => {
      if (!config.TOKO_NOTIFICATION_PUBLIC_KEY) {
        logger.warn(
          "TOKO_NOTIFICATION_PUBLIC_KEY is not set: verification and reset events carry no token, so no link can be emailed",
        );
      }
      const deps: UserDeps = {
        db,
        hasher: overrides.hasher ?? (await createArgon2Hasher()),
        policy: new PasswordPolicy(loadCommonPasswords()),
        outbox: createOutbox("user"),
        clock: overrides.now ?? (() => new Date()),
        settings: settingsFrom(config),
      };
      await seedAdmin(deps, logger, { email: config.TOKO_ADMIN_EMAIL, password: config.TOKO_ADMIN_PASSWORD });
      // The first prune runs at start-up; each run schedules the next.
      await transaction(db, (trx) => scheduleTimer(trx, { ...PRUNE_TIMER, at: new Date() }));
      startTimers({
        handlers: {
          [PRUNE_TIMER.kind]: async (_timer, trx) => {
            const pruned = await pruneAndReschedule(trx, deps);
            if (pruned.tokens + pruned.loginFailures > 0) {
              logger.info(
                { pruned_tokens: pruned.tokens, pruned_login_failures: pruned.loginFailures },
                "pruned spent records",
              );
            }
          },
        },
      });
      return { services: [userGrpcService(deps)], internalSecret: config.TOKO_INTERNAL_SECRET };
    },
  );
}
