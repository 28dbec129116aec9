import type { Campaign, InboxItem } from "@toko/contracts/toko/notification/v1/notification";

export function inboxJson(i: InboxItem) {
  return {
    id: i.id,
    category: i.category,
    title: i.title,
    body: i.body,
    ...(i.link ? { link: i.link } : {}),
    read_at: i.readAt ? i.readAt.toISOString() : null,
    created_at: (i.createdAt ?? new Date(0)).toISOString(),
  };
}

export function campaignJson(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    segment: {
      category_id: c.segment?.categoryId || null,
      bought_within_days: c.segment?.boughtWithinDays ?? 0,
    },
    channel: c.channel,
    template: {
      id: c.template?.id ?? { subject: "", body: "" },
      en: c.template?.en ?? null,
      link: c.template?.link || null,
    },
    schedule: { send_at: (c.scheduledAt ?? new Date(0)).toISOString(), rate_per_second: c.ratePerSecond },
    status: c.status,
    recipients: c.recipients,
    processed: c.processed,
    sent: c.sent,
    created_at: (c.createdAt ?? new Date(0)).toISOString(),
  };
}
