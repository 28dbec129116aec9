import { scheduleTimer } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Campaign, InboxItem, NotificationTx, UnitOfWork } from "../application/ports.ts";
import type { Message } from "../domain/model.ts";
import { campaignFromRow, inboxFromRow, readProfile } from "./rows.ts";
import type { NotificationDatabase } from "./schema.ts";

type Trx = Transaction<NotificationDatabase>;

/** The kit timer kinds of the service. */
export const TIMERS = {
  deliverEmail: "notification.deliver.email",
  deliverSms: "notification.deliver.sms",
  resolveShop: "notification.resolve-shop",
  resolvePayer: "notification.resolve-payer",
  resolveCampaign: "notification.campaign.resolve",
  sendCampaign: "notification.campaign.send",
} as const;

/** The writes of one transaction (a consumer's, a timer's or a request's). */
export function notificationTx(trx: Trx): NotificationTx {
  const profile = (userId: string) => readProfile(trx, userId);
  return {
    settings: {
      profile,
      async setLocale(userId, locale, now) {
        await trx
          .insertInto("user_settings")
          .values({ user_id: userId, locale, updated_at: now })
          .onConflict((oc) => oc.column("user_id").doUpdateSet({ locale, updated_at: now }))
          .execute();
      },
      async setChoice(userId, channel, category, enabled, now) {
        await trx
          .insertInto("preferences")
          .values({ user_id: userId, channel, category, enabled, updated_at: now })
          .onConflict((oc) =>
            oc.columns(["user_id", "channel", "category"]).doUpdateSet({ enabled, updated_at: now }),
          )
          .execute();
      },
    },
    inbox: {
      async add(item: InboxItem, dedupKey: string) {
        const r = await trx
          .insertInto("inbox")
          .values({
            id: item.id,
            user_id: item.userId,
            category: item.category,
            kind: item.kind,
            title: item.title,
            body: item.body,
            link: item.link ?? null,
            dedup_key: dedupKey,
            read_at: null,
            created_at: item.createdAt,
          })
          .onConflict((oc) => oc.column("dedup_key").doNothing())
          .executeTakeFirst();
        return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
      },
      async markRead(userId, id, now) {
        const row = await trx
          .updateTable("inbox")
          .set({ read_at: sql<Date>`coalesce(read_at, ${now})` })
          .where("id", "=", id)
          .where("user_id", "=", userId)
          .returningAll()
          .executeTakeFirst();
        return row ? inboxFromRow(row) : undefined;
      },
    },
    deliveries: {
      async add(d, now) {
        const r = await trx
          .insertInto("deliveries")
          .values({
            id: d.id,
            dedup_key: d.dedupKey,
            user_id: d.userId,
            channel: d.channel,
            category: d.category,
            kind: d.kind,
            data: JSON.stringify(d.data),
            status: d.status,
            last_error: null,
            address: null,
            provider_id: null,
            created_at: now,
            sent_at: null,
          })
          .onConflict((oc) => oc.column("dedup_key").doNothing())
          .executeTakeFirst();
        return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
      },
      async markSent(id, address, providerId, now) {
        await trx
          .updateTable("deliveries")
          .set({
            status: "sent",
            address,
            provider_id: providerId,
            sent_at: now,
            attempts: sql`attempts + 1`,
          })
          .where("id", "=", id)
          .where("status", "=", "pending")
          .execute();
      },
      async markSkipped(id, reason) {
        await trx
          .updateTable("deliveries")
          .set({ status: "skipped", last_error: reason })
          .where("id", "=", id)
          .where("status", "=", "pending")
          .execute();
      },
    },
    shopMessages: {
      async add(id, shopId, message, now) {
        await trx
          .insertInto("shop_messages")
          .values({ id, shop_id: shopId, message: JSON.stringify(message), created_at: now })
          .execute();
      },
      async get(id) {
        const row = await trx
          .selectFrom("shop_messages")
          .select(["shop_id", "message"])
          .where("id", "=", id)
          .executeTakeFirst();
        return row ? { shopId: row.shop_id, message: row.message as Message } : undefined;
      },
      async remove(id) {
        await trx.deleteFrom("shop_messages").where("id", "=", id).execute();
      },
    },
    payerMessages: {
      async add(id, paymentId, message, now) {
        await trx
          .insertInto("payer_messages")
          .values({ id, payment_id: paymentId, message: JSON.stringify(message), created_at: now })
          .execute();
      },
      async get(id) {
        const row = await trx
          .selectFrom("payer_messages")
          .select(["payment_id", "message"])
          .where("id", "=", id)
          .executeTakeFirst();
        return row ? { paymentId: row.payment_id, message: row.message as Message } : undefined;
      },
      async remove(id) {
        await trx.deleteFrom("payer_messages").where("id", "=", id).execute();
      },
    },
    purchases: {
      async add(p) {
        await trx
          .insertInto("purchases")
          .values({
            order_id: p.orderId,
            line_id: p.lineId,
            buyer_id: p.buyerId,
            product_id: p.productId,
            completed_at: p.completedAt,
          })
          .onConflict((oc) => oc.columns(["order_id", "line_id"]).doNothing())
          .execute();
      },
    },
    campaigns: {
      async add(c: Campaign) {
        await trx
          .insertInto("campaigns")
          .values({
            id: c.id,
            name: c.name,
            category_id: c.categoryId,
            within_days: c.withinDays,
            channel: c.channel,
            template: JSON.stringify(c.template),
            scheduled_at: c.scheduledAt,
            rate_per_second: c.ratePerSecond,
            status: c.status,
            created_by: c.createdBy,
            created_at: c.createdAt,
          })
          .execute();
      },
      async get(id) {
        const row = await trx
          .selectFrom("campaigns")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        return row ? campaignFromRow(row) : undefined;
      },
      async setStatus(id, status) {
        await trx.updateTable("campaigns").set({ status }).where("id", "=", id).execute();
      },
      async addRecipients(id, userIds) {
        if (userIds.length === 0) return;
        await trx
          .insertInto("campaign_recipients")
          .values(
            userIds.map((u) => ({ campaign_id: id, user_id: u, status: "pending", processed_at: null })),
          )
          .onConflict((oc) => oc.columns(["campaign_id", "user_id"]).doNothing())
          .execute();
      },
      async claimPending(id, limit) {
        const rows = await trx
          .selectFrom("campaign_recipients")
          .select("user_id")
          .where("campaign_id", "=", id)
          .where("status", "=", "pending")
          .orderBy("user_id")
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        return rows.map((r) => r.user_id);
      },
      async markRecipient(id, userId, status, now) {
        await trx
          .updateTable("campaign_recipients")
          .set({ status, processed_at: now })
          .where("campaign_id", "=", id)
          .where("user_id", "=", userId)
          .where("status", "=", "pending")
          .execute();
      },
      async hasPending(id) {
        const row = await trx
          .selectFrom("campaign_recipients")
          .select("user_id")
          .where("campaign_id", "=", id)
          .where("status", "=", "pending")
          .limit(1)
          .executeTakeFirst();
        return row !== undefined;
      },
    },
    timers: {
      deliver: (channel, deliveryId, at) =>
        scheduleTimer(trx, {
          kind: channel === "email" ? TIMERS.deliverEmail : TIMERS.deliverSms,
          key: deliveryId,
          at,
        }),
      resolveShop: (id, at) => scheduleTimer(trx, { kind: TIMERS.resolveShop, key: id, at }),
      resolvePayer: (id, at) => scheduleTimer(trx, { kind: TIMERS.resolvePayer, key: id, at }),
      resolveCampaign: (id, at) => scheduleTimer(trx, { kind: TIMERS.resolveCampaign, key: id, at }),
      sendCampaign: (id, at) => scheduleTimer(trx, { kind: TIMERS.sendCampaign, key: id, at }),
    },
  };
}

export function pgUnitOfWork(db: Kysely<NotificationDatabase>): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(notificationTx(trx))) };
}
