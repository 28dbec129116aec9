import type { Kysely, Outbox } from "@toko/kit";
import type { LockoutPolicy } from "../domain/lockout.ts";
import type { PasswordPolicy } from "../domain/password-policy.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import type { PasswordHasher } from "../infrastructure/password-hasher.ts";
import type { RetentionSettings } from "./retention.ts";

/** Tunables of the use cases (from config in production, shortened in tests). */
export interface UserSettings {
  /** Origin the emailed links point at, e.g. http://localhost:8080. */
  publicOrigin: string;
  /**
   * The notification service's X25519 public key (base64url): reset and verification tokens
   * travel sealed to it. Unset: the events carry no token (nothing can be emailed).
   */
  notificationPublicKey: string | undefined;
  verifyEmailTtlMs: number;
  resetPasswordTtlMs: number;
  /** Reset emails per account within `resetPasswordTtlMs`; more are dropped silently. */
  maxResetRequests: number;
  lockout: { account: LockoutPolicy; address: LockoutPolicy };
  maxWishlistItems: number;
  retention: RetentionSettings;
}

/** What every use case is built from, wired by hand in main.ts. */
export interface UserDeps {
  db: Kysely<UserDatabase>;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  outbox: Outbox;
  /** The current time; tests move it to cross lock and expiry boundaries. */
  clock: () => Date;
  settings: UserSettings;
}
