import { DomainError, errors, type Principal, transaction } from "@toko/kit";
import { userEvents } from "../infrastructure/user-events.ts";
import { requireUserId } from "./caller.ts";
import type { UserDeps } from "./deps.ts";
import { consumeToken, issueToken, tokenDelivery } from "./tokens-store.ts";
import { toUserView, USER_COLUMNS, type UserView } from "./user-view.ts";

/** Proving ownership of the account's email with a single-use emailed token. */
export class EmailVerification {
  constructor(private readonly deps: UserDeps) {}

  /** Issues a new token to the caller and publishes EmailVerificationRequested. */
  async request(principal: Principal | undefined): Promise<void> {
    const userId = requireUserId(principal);
    const { settings } = this.deps;
    await transaction(this.deps.db, async (trx) => {
      const user = await trx
        .selectFrom("users")
        .select(["id", "email", "name", "email_verified"])
        .where("id", "=", userId)
        .forUpdate()
        .executeTakeFirst();
      if (!user) throw errors.notFound("user");
      if (user.email_verified)
        throw errors.precondition("EMAIL_ALREADY_VERIFIED", "the email is already verified");
      const now = this.deps.clock();
      const expiresAt = new Date(now.getTime() + settings.verifyEmailTtlMs);
      const token = await issueToken(trx, userId, "verify_email", now, expiresAt);
      const delivery = tokenDelivery(settings, "/verify-email", "verify_email", userId, token);
      await this.deps.outbox.add(trx, [userEvents.emailVerificationRequested(user, delivery, expiresAt)]);
    });
  }

  /** Consumes a token and marks the email verified. */
  async verify(token: string): Promise<UserView> {
    return transaction(this.deps.db, async (trx) => {
      const now = this.deps.clock();
      const userId = await consumeToken(trx, token, "verify_email", now);
      if (!userId) throw invalidToken();
      const row = await trx
        .updateTable("users")
        .set({ email_verified: true, updated_at: now })
        .where("id", "=", userId)
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      return toUserView(row);
    });
  }
}

/** The one answer for unknown, used and expired tokens. */
export function invalidToken() {
  return new DomainError("invalid", "INVALID_TOKEN", "the link is invalid or has expired", [
    { field: "token", message: "is invalid, already used or expired" },
  ]);
}
