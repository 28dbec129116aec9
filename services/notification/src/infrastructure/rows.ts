import { type Kysely, type Selectable, sql } from "kysely";
import type { Campaign, CampaignTemplate, Delivery, DeliveryData, InboxItem } from "../application/ports.ts";
import { type Category, type Channel, isLocale, type Locale, type MessageKind } from "../domain/model.ts";
import { type Choices, choiceKey } from "../domain/preferences.ts";
import type { NotificationDatabase } from "./schema.ts";

type Row<T extends keyof NotificationDatabase> = Selectable<NotificationDatabase[T]>;

export function inboxFromRow(r: Row<"inbox">): InboxItem {
  return {
    id: r.id,
    userId: r.user_id,
    category: r.category as Category,
    kind: r.kind as MessageKind,
    title: r.title,
    body: r.body,
    link: r.link ?? undefined,
    readAt: r.read_at ?? undefined,
    createdAt: r.created_at,
  };
}

export function deliveryFromRow(r: Row<"deliveries">): Delivery {
  return {
    id: r.id,
    dedupKey: r.dedup_key,
    userId: r.user_id,
    channel: r.channel as Delivery["channel"],
    category: r.category as Category,
    kind: r.kind as MessageKind,
    data: r.data as DeliveryData,
    status: r.status as Delivery["status"],
    attempts: r.attempts,
  };
}

export function campaignFromRow(r: Row<"campaigns">): Campaign {
  return {
    id: r.id,
    name: r.name,
    categoryId: r.category_id,
    withinDays: r.within_days,
    channel: r.channel as Channel,
    template: r.template as CampaignTemplate,
    scheduledAt: r.scheduled_at,
    ratePerSecond: r.rate_per_second,
    status: r.status as Campaign["status"],
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export function profileFromRows(
  settings: { locale: string } | undefined,
  prefs: readonly { channel: string; category: string; enabled: boolean }[],
): { locale: Locale | undefined; choices: Choices } {
  const choices = new Map<string, boolean>();
  for (const p of prefs) choices.set(choiceKey(p.channel as Channel, p.category as Category), p.enabled);
  return { locale: settings && isLocale(settings.locale) ? settings.locale : undefined, choices };
}

/** A user's locale and choices in one round trip (the hot path of every message). */
export async function readProfile(
  db: Kysely<NotificationDatabase>,
  userId: string,
): Promise<{ locale: Locale | undefined; choices: Choices }> {
  const { rows } = await sql<{
    locale: string | null;
    channel: string | null;
    category: string | null;
    enabled: boolean | null;
  }>`
    SELECT s.locale, p.channel, p.category, p.enabled
      FROM (SELECT ${userId}::text AS user_id) u
      LEFT JOIN user_settings s ON s.user_id = u.user_id
      LEFT JOIN preferences p ON p.user_id = u.user_id`.execute(db);
  const locale = rows[0]?.locale;
  const prefs = rows.flatMap((r) =>
    r.channel && r.category && r.enabled !== null
      ? [{ channel: r.channel, category: r.category, enabled: r.enabled }]
      : [],
  );
  return profileFromRows(locale ? { locale } : undefined, prefs);
}
