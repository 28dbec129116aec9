import { errors, type Principal, sql, type Transaction, transaction } from "@toko/kit";
import { normaliseEmail } from "../domain/email.ts";
import { type FailureRecord, type LockoutPolicy, recordFailure, remainingLockMs } from "../domain/lockout.ts";
import { PASSWORD_MAX_LENGTH } from "../domain/password-policy.ts";
import { sortRoles } from "../domain/roles.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import { isService } from "./caller.ts";
import type { UserDeps } from "./deps.ts";

/** The outcome of a credential check, as the authorization server needs it. */
export type CredentialCheck =
  | { ok: true; userId: string; roles: string[]; emailVerified: boolean; email: string; name: string }
  | { ok: false; code: "INVALID_CREDENTIALS" }
  | { ok: false; code: "ACCOUNT_LOCKED"; retryAfterSeconds: number };

type Scope = "account" | "address";
type Trx = Transaction<UserDatabase>;

const locked = (ms: number): CredentialCheck => ({
  ok: false,
  code: "ACCOUNT_LOCKED",
  retryAfterSeconds: Math.ceil(ms / 1000),
});

/**
 * The lockout key of the end user's address the authorization server names in the call (never
 * the caller's socket, which is the authorization server). An IPv4 client reached over IPv6
 * (`::ffff:203.0.113.7`) is the same client as `203.0.113.7`.
 */
export function clientAddressKey(raw: string): string {
  const address = raw.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(address) ? address.slice(7) : address;
}

/** Email + password checks with per-account and per-address throttling. */
export class Credentials {
  constructor(private readonly deps: UserDeps) {}

  /**
   * Checks a password. Unknown emails run a dummy argon2 verification so they take as long as
   * known ones, and are throttled the same way (the account key is the normalised email).
   *
   * The argon2 work runs with no transaction, lock or pooled connection held, so sign-ins behind
   * one address (a NAT) run in parallel: a short read refuses locked scopes, then the hash, then
   * a short transaction records the outcome under row locks, so parallel failures all count and
   * a success that raced a lock-inducing failure is refused.
   */
  async verify(
    principal: Principal | undefined,
    input: { email: string; password: string; clientAddress: string },
  ): Promise<CredentialCheck> {
    if (!principal) throw errors.unauthenticated();
    if (!isService(principal)) throw errors.forbidden("only internal services may verify credentials");
    const email = normaliseEmail(input.email);
    const address = clientAddressKey(input.clientAddress);

    const before = await transaction(this.deps.db, async (trx) => {
      const now = this.deps.clock();
      const lockedMs = Math.max(
        remainingLockMs(await this.read(trx, "account", email), now),
        address ? remainingLockMs(await this.read(trx, "address", address), now) : 0,
      );
      if (lockedMs > 0) return { lockedMs, user: undefined };
      const user = await trx
        .selectFrom("users")
        .select(["id", "password_hash", "roles", "email_verified", "email", "name"])
        .where("email", "=", email)
        .executeTakeFirst();
      return { lockedMs, user };
    });
    if (before.lockedMs > 0) return locked(before.lockedMs);
    const { user } = before;

    // Over-long input is never a valid password; still spend the hashing time.
    const candidate = input.password.slice(0, PASSWORD_MAX_LENGTH * 4);
    const valid = user
      ? await this.deps.hasher.verify(user.password_hash, candidate)
      : await this.deps.hasher.verifyDummy(candidate).then(() => false);

    return transaction(this.deps.db, async (trx) => {
      const now = this.deps.clock();
      if (valid && user) {
        // Failures recorded while we hashed may have locked a scope since the first read.
        const lockedMs = Math.max(
          remainingLockMs(await this.read(trx, "account", email, true), now),
          address ? remainingLockMs(await this.read(trx, "address", address, true), now) : 0,
        );
        if (lockedMs > 0) return locked(lockedMs);
        await trx
          .deleteFrom("login_failures")
          .where("scope", "=", "account")
          .where("key", "=", email)
          .execute();
        return {
          ok: true,
          userId: user.id,
          roles: sortRoles(user.roles),
          emailVerified: user.email_verified,
          email: user.email,
          name: user.name,
        };
      }
      const { lockout } = this.deps.settings;
      // Account before address in every transaction, so concurrent attempts never deadlock.
      const nextAccount = await this.fail(trx, "account", email, now, lockout.account);
      const nextAddress = address
        ? await this.fail(trx, "address", address, now, lockout.address)
        : undefined;
      const newLockMs = Math.max(remainingLockMs(nextAccount, now), remainingLockMs(nextAddress, now));
      return newLockMs > 0 ? locked(newLockMs) : { ok: false, code: "INVALID_CREDENTIALS" };
    });
  }

  private async read(
    trx: Trx,
    scope: Scope,
    key: string,
    forUpdate = false,
  ): Promise<FailureRecord | undefined> {
    let query = trx
      .selectFrom("login_failures")
      .select(["failures", "last_failure_at", "locked_until"])
      .where("scope", "=", scope)
      .where("key", "=", key);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return (
      row && { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
    );
  }

  /**
   * Adds one failure atomically: the upsert creates or row-locks the record and returns what is
   * committed now (not what the first read saw), so failures racing each other are serialised
   * here and every one of them counts.
   */
  private async fail(
    trx: Trx,
    scope: Scope,
    key: string,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<FailureRecord> {
    const { rows } = await sql<{ failures: number; last_failure_at: Date; locked_until: Date | null }>`
      INSERT INTO login_failures AS f (scope, key, failures, last_failure_at, locked_until)
      VALUES (${scope}, ${key}, 0, ${now}, NULL)
      ON CONFLICT (scope, key) DO UPDATE SET failures = f.failures
      RETURNING f.failures, f.last_failure_at, f.locked_until`.execute(trx);
    const row = rows[0];
    const current: FailureRecord | undefined =
      row && row.failures > 0
        ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
        : undefined;
    const next = recordFailure(current, now, policy);
    await trx
      .updateTable("login_failures")
      .set({ failures: next.failures, last_failure_at: next.lastFailureAt, locked_until: next.lockedUntil })
      .where("scope", "=", scope)
      .where("key", "=", key)
      .execute();
    return next;
  }
}
