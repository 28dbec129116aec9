import { type Kysely, sql } from "kysely";
import type { NotificationReads } from "../application/ports.ts";
import { campaignFromRow, deliveryFromRow, inboxFromRow, readProfile } from "./rows.ts";
import type { NotificationDatabase } from "./schema.ts";

/** Queries outside any transaction. */
export function pgReads(db: Kysely<NotificationDatabase>): NotificationReads {
  return {
    async inbox(userId, limit, after, unreadOnly) {
      let q = db.selectFrom("inbox").selectAll().where("user_id", "=", userId);
      if (after) q = q.where("id", "<", after);
      if (unreadOnly) q = q.where("read_at", "is", null);
      const rows = await q.orderBy("id", "desc").limit(limit).execute();
      return rows.map(inboxFromRow);
    },
    async unread(userId) {
      const row = await db
        .selectFrom("inbox")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("user_id", "=", userId)
        .where("read_at", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    profile: (userId) => readProfile(db, userId),
    async delivery(id) {
      const row = await db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? deliveryFromRow(row) : undefined;
    },
    async recordFailure(id, attempts, error, final) {
      await db
        .updateTable("deliveries")
        .set({ attempts, last_error: error.slice(0, 1000), ...(final ? { status: "failed" } : {}) })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .execute();
    },
    async campaign(id) {
      const row = await db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) return undefined;
      const counts = await db
        .selectFrom("campaign_recipients")
        .select([
          sql<string>`count(*)`.as("recipients"),
          sql<string>`count(*) FILTER (WHERE status <> 'pending')`.as("processed"),
          sql<string>`count(*) FILTER (WHERE status = 'sent')`.as("sent"),
        ])
        .where("campaign_id", "=", id)
        .executeTakeFirstOrThrow();
      return {
        ...campaignFromRow(row),
        recipients: Number(counts.recipients),
        processed: Number(counts.processed),
        sent: Number(counts.sent),
      };
    },
    async purchasesSince(since) {
      const rows = await db
        .selectFrom("purchases")
        .select(["buyer_id", "product_id"])
        .distinct()
        .where("completed_at", ">=", since)
        .execute();
      return rows.map((r) => ({ buyerId: r.buyer_id, productId: r.product_id }));
    },
    devMail: {
      async list(limit, after) {
        let q = db.selectFrom("dev_mail").selectAll();
        if (after) q = q.where("id", "<", after);
        const rows = await q.orderBy("id", "desc").limit(limit).execute();
        return rows.map((r) => ({
          id: r.id,
          to: r.to_address,
          subject: r.subject,
          text: "",
          html: "",
          headers: r.headers,
          sentAt: r.sent_at,
        }));
      },
      async get(id) {
        const r = await db.selectFrom("dev_mail").selectAll().where("id", "=", id).executeTakeFirst();
        return r
          ? {
              id: r.id,
              to: r.to_address,
              subject: r.subject,
              text: r.text_body,
              html: r.html_body,
              headers: r.headers,
              sentAt: r.sent_at,
            }
          : undefined;
      },
    },
  };
}
