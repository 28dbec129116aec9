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

/** Email + password checks with per-account and per-address throttling. */
export class Credentials {
  constructor(private readonly deps: UserDeps) {}

  /**
   * Checks a password. Unknown emails run a dummy argon2 verification so they take as long as
   * known ones, and are throttled the same way (the account key is the normalised email).
   */
  async verify(
    principal: Principal | undefined,
    input: { email: string; password: string; clientAddress: string },
  ): Promise<CredentialCheck> {
    if (!principal) throw errors.unauthenticated();
    if (!isService(principal)) throw errors.forbidden("only internal services may verify credentials");
    const email = normaliseEmail(input.email);
    const address = input.clientAddress.trim().toLowerCase();
    const { lockout } = this.deps.settings;

    return transaction(this.deps.db, async (trx) => {
      // Serialise attempts on one account so parallel guesses cannot slip past the counter.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`login:${email}`}))`.execute(trx);
      const now = this.deps.clock();
      const accountRecord = await this.load(trx, "account", email);
      const addressRecord = address ? await this.load(trx, "address", address) : undefined;
      const lockedMs = Math.max(remainingLockMs(accountRecord, now), remainingLockMs(addressRecord, now));
      if (lockedMs > 0)
        return { ok: false, code: "ACCOUNT_LOCKED", retryAfterSeconds: Math.ceil(lockedMs / 1000) };

      const user = await trx
        .selectFrom("users")
        .select(["id", "password_hash", "roles", "email_verified", "email", "name"])
        .where("email", "=", email)
        .executeTakeFirst();
      // Over-long input is never a valid password; still spend the hashing time.
      const candidate = input.password.slice(0, PASSWORD_MAX_LENGTH * 4);
      const valid = user
        ? await this.deps.hasher.verify(user.password_hash, candidate)
        : await this.deps.hasher.verifyDummy(candidate).then(() => false);

      if (valid && user) {
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
      const nextAccount = await this.fail(trx, "account", email, accountRecord, now, lockout.account);
      const nextAddress = address
        ? await this.fail(trx, "address", address, addressRecord, now, lockout.address)
        : undefined;
      const newLockMs = Math.max(remainingLockMs(nextAccount, now), remainingLockMs(nextAddress, now));
      if (newLockMs > 0)
        return { ok: false, code: "ACCOUNT_LOCKED", retryAfterSeconds: Math.ceil(newLockMs / 1000) };
      return { ok: false, code: "INVALID_CREDENTIALS" };
    });
  }

  private async load(
    trx: Transaction<UserDatabase>,
    scope: Scope,
    key: string,
  ): Promise<FailureRecord | undefined> {
    const row = await trx
      .selectFrom("login_failures")
      .select(["failures", "last_failure_at", "locked_until"])
      .where("scope", "=", scope)
      .where("key", "=", key)
      .forUpdate()
      .executeTakeFirst();
    return (
      row && { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until }
    );
  }

  private async fail(
    trx: Transaction<UserDatabase>,
    scope: Scope,
    key: string,
    record: FailureRecord | undefined,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<FailureRecord> {
    const next = recordFailure(record, now, policy);
    const values = {
      failures: next.failures,
      last_failure_at: next.lastFailureAt,
      locked_until: next.lockedUntil,
    };
    await trx
      .insertInto("login_failures")
      .values({ scope, key, ...values })
      .onConflict((oc) => oc.columns(["scope", "key"]).doUpdateSet(values))
      .execute();
    return next;
  }
}
