import { errors, transaction } from "@toko/kit";
import { emailProblem, normaliseEmail } from "../domain/email.ts";
import { hashToken, isTokenShaped } from "../domain/tokens.ts";
import { userEvents } from "../infrastructure/user-events.ts";
import type { UserDeps } from "./deps.ts";
import { invalidToken } from "./email-verification.ts";
import { consumeToken, issueToken, tokenDelivery } from "./tokens-store.ts";

/** Forgotten passwords: an emailed single-use token sets a new one. */
export class PasswordReset {
  constructor(private readonly deps: UserDeps) {}

  /**
   * Publishes PasswordResetRequested when the email belongs to an account. The caller learns
   * nothing either way; beyond `maxResetRequests` live tokens, requests are dropped silently so
   * the endpoint cannot be used to flood someone's inbox.
   */
  async request(rawEmail: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    const problem = emailProblem(email);
    if (problem) throw errors.invalid("invalid email", [{ field: "email", message: problem }]);
    const { settings } = this.deps;
    await transaction(this.deps.db, async (trx) => {
      const user = await trx
        .selectFrom("users")
        .select(["id", "email", "name"])
        .where("email", "=", email)
        .forUpdate()
        .executeTakeFirst();
      if (!user) return;
      const now = this.deps.clock();
      const { live } = await trx
        .selectFrom("user_tokens")
        .select((eb) => eb.fn.countAll<number>().as("live"))
        .where("user_id", "=", user.id)
        .where("purpose", "=", "reset_password")
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .executeTakeFirstOrThrow();
      if (Number(live) >= settings.maxResetRequests) return;
      const expiresAt = new Date(now.getTime() + settings.resetPasswordTtlMs);
      const token = await issueToken(trx, user.id, "reset_password", now, expiresAt);
      const delivery = tokenDelivery(settings, "/reset-password", "reset_password", user.id, token);
      await this.deps.outbox.add(trx, [userEvents.passwordResetRequested(user, delivery, expiresAt, now)]);
    });
  }

  /**
   * Sets a new password with a reset token. The token is consumed only when the new password
   * passes the policy; every other reset token of the account dies with it, the sign-in lock is
   * lifted, the email counts as verified (the token proved the inbox is the user's), and
   * PasswordChanged is published so every session and refresh token of the account ends.
   */
  async confirm(token: string, newPassword: string): Promise<void> {
    if (!isTokenShaped(token)) throw invalidToken();
    const now = this.deps.clock();
    const owner = await this.deps.db
      .selectFrom("user_tokens")
      .innerJoin("users", "users.id", "user_tokens.user_id")
      .select(["users.email"])
      .where("token_hash", "=", hashToken(token))
      .where("purpose", "=", "reset_password")
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (!owner) throw invalidToken();
    const problem = this.deps.policy.problem(newPassword, owner.email);
    if (problem)
      throw errors.invalid("the new password is not acceptable", [
        { field: "new_password", message: problem },
      ]);
    const passwordHash = await this.deps.hasher.hash(newPassword);
    await transaction(this.deps.db, async (trx) => {
      const userId = await consumeToken(trx, token, "reset_password", this.deps.clock());
      if (!userId) throw invalidToken();
      const user = await trx
        .updateTable("users")
        .set({
          password_hash: passwordHash,
          password_generated: false,
          email_verified: true,
          updated_at: now,
        })
        .where("id", "=", userId)
        .returning("email")
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("user_tokens")
        .set({ used_at: now })
        .where("user_id", "=", userId)
        .where("purpose", "=", "reset_password")
        .where("used_at", "is", null)
        .execute();
      await trx
        .deleteFrom("login_failures")
        .where("scope", "=", "account")
        .where("key", "=", user.email)
        .execute();
      // Whoever held the old password may be signed in: the authorization server ends every
      // session and refresh token of the account when it sees this.
      await this.deps.outbox.add(trx, [userEvents.passwordChanged(userId, now)]);
    });
  }
}
