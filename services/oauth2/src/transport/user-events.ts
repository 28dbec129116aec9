import { PasswordChanged } from "@toko/contracts/toko/user/v1/events";
import { type EventConsumers, type Logger, payloadOf } from "@toko/kit";
import { revokeAccountArtifacts } from "../provider/account-revocation.ts";

/** Consumer group of the authorization server's user-event handlers. */
export const USER_EVENTS_GROUP = "oauth2.accounts";

/**
 * `PasswordChanged` → every session, grant and refresh token of the account ends (whoever knew
 * the old password is signed out everywhere), in the consumer's transaction with its inbox row.
 */
export function subscribeUserEvents(consumers: EventConsumers<unknown>, logger: Logger): void {
  consumers.subscribe(USER_EVENTS_GROUP, ["toko.user.v1.PasswordChanged"], async (event, trx) => {
    const changed = payloadOf(event, PasswordChanged);
    const userId = changed.userId || event.subject;
    const revoked = await revokeAccountArtifacts(
      trx,
      userId,
      changed.changedAt ?? event.occurredAt ?? new Date(),
    );
    logger.info({ user_id: userId, revoked }, "password changed: sessions and tokens revoked");
  });
}
