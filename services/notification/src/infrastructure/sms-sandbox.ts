import type { Kysely } from "kysely";
import type { Channel, OutgoingSms } from "../application/ports.ts";
import type { NotificationDatabase } from "./schema.ts";

const E164ISH = /^\+?[0-9]{8,15}$/;

/**
 * The SMS provider's sandbox: validates the number as a provider would (a malformed one is a
 * permanent failure, retried then dead-lettered like any other) and records the message instead
 * of sending it. Keyed by the delivery id: a resend records nothing new.
 */
export function smsSandbox(db: Kysely<NotificationDatabase>, now: () => Date): Channel<OutgoingSms> {
  return {
    async send(sms) {
      const to = sms.to.replace(/[\s-]/g, "");
      if (!E164ISH.test(to)) throw new Error("the SMS provider rejected the number");
      await db
        .insertInto("sms_sandbox")
        .values({ id: sms.id, to_number: to, body: sms.body, sent_at: now() })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      return { providerId: `sandbox:${sms.id}` };
    },
  };
}
