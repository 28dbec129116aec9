import { env, eventBusEnvShape, loadConfig, sealingKeyId, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

// eventBusEnvShape: EVENT_BUS (postgres | nats | none), BUS_DATABASE_URL, NATS_URL — the bus the
// outbox relay delivers the user events to (required unless EVENT_BUS=none).
function isSealingKey(value: string): boolean {
  try {
    sealingKeyId(value);
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** Origin of the emailed verification and reset links. */
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  /**
   * The notification service's X25519 public key (base64url of the raw 32 bytes): reset and
   * verification tokens are sealed to it. Unset: those events carry no token (a warning says so).
   */
  TOKO_NOTIFICATION_PUBLIC_KEY: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || isSealingKey(v), "must be an X25519 public key (32 bytes, base64url)"),
  /** The seeded admin account. */
  TOKO_ADMIN_EMAIL: z.string().default("admin@toko.local"),
  /** The seeded admin's password; when unset a random one is generated and never logged. */
  TOKO_ADMIN_PASSWORD: z.string().optional(),
  /** Lifetime of an email verification link. */
  USER_VERIFY_EMAIL_TTL_MS: env.duration(48 * 3600_000),
  /** Lifetime of a password reset link. */
  USER_RESET_PASSWORD_TTL_MS: env.duration(30 * 60_000),
  /** Failed sign-ins in a row before an account is locked; each further failure doubles the lock. */
  USER_LOCKOUT_ACCOUNT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** Failed sign-ins from one client address (any account) before it is locked. */
  USER_LOCKOUT_ADDRESS_THRESHOLD: z.coerce.number().int().min(1).default(20),
  /** The first lock's length. */
  USER_LOCKOUT_BASE_MS: env.duration(30_000),
  /** The longest lock. */
  USER_LOCKOUT_MAX_MS: env.duration(3600_000),
  /** Quiet time after which failures are forgotten. */
  USER_LOCKOUT_RESET_MS: env.duration(3600_000),
  /** Used or expired verification/reset tokens are deleted this long after use or expiry. */
  USER_TOKEN_RETENTION_MS: env.duration(7 * 24 * 3600_000),
  /** How often spent tokens and stale login failures (quiet past USER_LOCKOUT_RESET_MS) are pruned. */
  USER_PRUNE_INTERVAL_MS: env.duration(3600_000),
  /** Products one wishlist may hold. */
  USER_WISHLIST_MAX: z.coerce.number().int().min(1).default(500),
});

/** The user service's configuration, parsed once at start-up. */
export type UserConfig = z.infer<typeof schema>;

/** Reads and validates the user service's environment. */
export function loadUserConfig(source?: Record<string, string | undefined>): UserConfig {
  return loadConfig("user", schema, source);
}
