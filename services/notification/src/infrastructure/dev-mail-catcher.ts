import type { Kysely } from "kysely";
import type { Channel, OutgoingEmail } from "../application/ports.ts";
import type { NotificationDatabase } from "./schema.ts";

/**
 * The development mail catcher: "sends" email by storing it, for the gateway's /dev/mail pages,
 * so a laptop run needs no mail server. Only wired with TOKO_ENV=development and no SMTP_URL.
 * Keyed by the delivery id: a resend stores nothing new.
 */
export function devMailCatcher(db: Kysely<NotificationDatabase>, now: () => Date): Channel<OutgoingEmail> {
  return {
    async send(mail) {
      await db
        .insertInto("dev_mail")
        .values({
          id: mail.id,
          to_address: mail.to,
          subject: mail.subject,
          text_body: mail.text,
          html_body: mail.html,
          headers: JSON.stringify(mail.headers),
          sent_at: now(),
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      return { providerId: `dev-mail:${mail.id}` };
    },
  };
}
