import { errors, type FieldViolation, type Principal, requireActingAs } from "@toko/kit";
import { type Channel, isChannel, type Message } from "../domain/model.ts";
import { allows } from "../domain/preferences.ts";
import { safeUrl } from "../domain/render.ts";
import { sendStep } from "../domain/throttle.ts";
import { deliverTo } from "./dispatch.ts";
import type { Campaign, CampaignProgress, NotificationDeps, NotificationTx } from "./ports.ts";

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CampaignRequest {
  name: string;
  segment: { categoryId: string; boughtWithinDays: number } | undefined;
  channel: string;
  template:
    | {
        id?: { subject: string; body: string } | undefined;
        en?: { subject: string; body: string } | undefined;
        link: string;
      }
    | undefined;
  scheduledAt: Date | undefined;
  ratePerSecond: number;
}

function text(v: FieldViolation[], field: string, value: string | undefined, max: number): string {
  const t = (value ?? "").trim();
  if (t.length === 0) v.push({ field, message: "is required" });
  else if (t.length > max) v.push({ field, message: `must be at most ${max} characters` });
  return t;
}

/** Creates a campaign (admins) and schedules its start; the segment is resolved when it starts. */
export async function createCampaign(
  deps: NotificationDeps,
  principal: Principal | undefined,
  r: CampaignRequest,
): Promise<Campaign & CampaignProgress> {
  const admin = requireActingAs(principal, "admin");
  const v: FieldViolation[] = [];
  const now = deps.clock.now();
  const name = text(v, "name", r.name, 200);
  if (!isChannel(r.channel)) v.push({ field: "channel", message: "must be email, sms or in_app" });
  const days = r.segment?.boughtWithinDays ?? 0;
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    v.push({ field: "segment.bought_within_days", message: "must be 1 to 365" });
  }
  const categoryId = (r.segment?.categoryId ?? "").trim();
  if (categoryId.length > 64)
    v.push({ field: "segment.category_id", message: "must be at most 64 characters" });
  const subject = text(v, "template.id.subject", r.template?.id?.subject, 200);
  const body = text(v, "template.id.body", r.template?.id?.body, 5000);
  let en: Campaign["template"]["en"];
  if (r.template?.en && (r.template.en.subject || r.template.en.body)) {
    en = {
      subject: text(v, "template.en.subject", r.template.en.subject, 200),
      body: text(v, "template.en.body", r.template.en.body, 5000),
    };
  }
  const link = (r.template?.link ?? "").trim();
  if (link && (link.length > 2048 || !safeUrl(link))) {
    v.push({ field: "template.link", message: "must be an http(s) URL or a path starting with /" });
  }
  const scheduledAt = r.scheduledAt && r.scheduledAt > now ? r.scheduledAt : now;
  if (scheduledAt.getTime() - now.getTime() > 366 * DAY_MS) {
    v.push({ field: "schedule.send_at", message: "must be within a year" });
  }
  const rate = r.ratePerSecond === 0 ? deps.settings.campaignRatePerSecond : r.ratePerSecond;
  if (!Number.isInteger(rate) || rate < 1 || rate > 1000)
    v.push({ field: "schedule.rate_per_second", message: "must be 1 to 1000" });
  if (v.length > 0) throw errors.invalid("The campaign is not valid", v);
  const campaign: Campaign = {
    id: deps.newId(),
    name,
    categoryId,
    withinDays: days,
    channel: r.channel as Channel,
    template: { id: { subject, body }, en, link },
    scheduledAt,
    ratePerSecond: rate,
    status: "scheduled",
    createdBy: admin.subject,
    createdAt: now,
  };
  await deps.uow.run(async (tx) => {
    await tx.campaigns.add(campaign);
    await tx.timers.resolveCampaign(campaign.id, scheduledAt);
  });
  return { ...campaign, recipients: 0, processed: 0, sent: 0 };
}

export async function getCampaign(deps: NotificationDeps, principal: Principal | undefined, id: string) {
  requireActingAs(principal, "admin");
  const c = UUID.test(id) ? await deps.reads.campaign(id) : undefined;
  if (!c) throw errors.notFound("campaign");
  return c;
}

/**
 * The remote step of a campaign's start: who is in the segment now — buyers with an order
 * completed in the window, narrowed to a category (and its subcategories) by the product service.
 */
export async function resolveSegment(
  deps: NotificationDeps,
  campaignId: string,
): Promise<string[] | undefined> {
  const c = await deps.reads.campaign(campaignId);
  if (c?.status !== "scheduled") return undefined;
  const since = new Date(deps.clock.now().getTime() - c.withinDays * DAY_MS);
  const purchases = await deps.reads.purchasesSince(since);
  let matching = purchases;
  if (c.categoryId) {
    const inCategory = await deps.catalog.productsInCategory(c.categoryId, [
      ...new Set(purchases.map((p) => p.productId)),
    ]);
    matching = purchases.filter((p) => inCategory.has(p.productId));
  }
  return [...new Set(matching.map((p) => p.buyerId))].sort();
}

/** Stores the resolved segment (each recipient once) and starts sending. */
export async function recordSegment(
  tx: NotificationTx,
  campaignId: string,
  userIds: string[] | undefined,
  now: Date,
) {
  if (!userIds) return;
  const c = await tx.campaigns.get(campaignId);
  if (c?.status !== "scheduled") return;
  for (let i = 0; i < userIds.length; i += 500)
    await tx.campaigns.addRecipients(campaignId, userIds.slice(i, i + 500));
  await tx.campaigns.setStatus(campaignId, "sending");
  await tx.timers.sendCampaign(campaignId, now);
}

/**
 * One throttled step of a campaign, in one transaction: the next batch of pending recipients is
 * queued on the campaign's channel (or skipped without a marketing opt-in) and marked, then the
 * next step is scheduled after the time the batch is worth at the campaign's rate. A crash loses
 * nothing (the step's writes commit together and the timer fires again); a recipient is marked
 * once and the message is keyed (campaign, recipient, channel), so nobody gets it twice.
 */
export async function sendCampaignStep(deps: NotificationDeps, tx: NotificationTx, campaignId: string) {
  const c = await tx.campaigns.get(campaignId);
  if (c?.status !== "sending") return;
  const now = deps.clock.now();
  const step = sendStep(c.ratePerSecond, deps.settings.campaignMaxBatch, now);
  const batch = await tx.campaigns.claimPending(campaignId, step.batch);
  const message: Message = {
    key: `campaign:${c.id}`,
    kind: "campaign",
    category: "marketing",
    recipient: { userId: "" },
    channels: [c.channel],
    data: {
      subject: c.template.id.subject,
      body: c.template.id.body,
      subject_en: c.template.en?.subject ?? "",
      body_en: c.template.en?.body ?? "",
      link: c.template.link,
    },
  };
  for (const userId of batch) {
    const { choices } = await tx.settings.profile(userId);
    const optedIn = allows(choices, c.channel, "marketing");
    if (optedIn)
      await deliverTo(tx, userId, { ...message, recipient: { userId } }, { now, newId: deps.newId });
    await tx.campaigns.markRecipient(campaignId, userId, optedIn ? "sent" : "skipped", now);
  }
  if (await tx.campaigns.hasPending(campaignId)) await tx.timers.sendCampaign(campaignId, step.nextAt);
  else await tx.campaigns.setStatus(campaignId, "done");
}
