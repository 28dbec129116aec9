import {
  type Campaign as CampaignMessage,
  type DevMail,
  type InboxItem as InboxItemMessage,
  type NotificationServiceServer,
  NotificationServiceService,
} from "@toko/contracts/toko/notification/v1/notification";
import { type ImplementedService, type ImplementOptions, implement, requirePrincipal } from "@toko/kit";
import { createCampaign, getCampaign } from "../application/campaigns.ts";
import { getDevMail, listDevMail } from "../application/dev-mail.ts";
import { listInbox, markRead } from "../application/inbox.ts";
import type {
  Campaign,
  CampaignProgress,
  DevMailRecord,
  InboxItem,
  NotificationDeps,
} from "../application/ports.ts";
import { getPreferences, unsubscribe, updatePreferences } from "../application/preferences.ts";

// The unsubscribe link carries its own authority (a signed token); the mail catcher answers
// only in development. Everything else needs a signed-in caller.
const publicMethods: ImplementOptions<NotificationServiceServer> = {
  anonymous: ["unsubscribe", "listDevMail", "getDevMail"],
};

const inboxToProto = (i: InboxItem): InboxItemMessage => ({
  id: i.id,
  category: i.category,
  title: i.title,
  body: i.body,
  link: i.link ?? "",
  readAt: i.readAt,
  createdAt: i.createdAt,
});

const campaignToProto = (c: Campaign & CampaignProgress): CampaignMessage => ({
  id: c.id,
  name: c.name,
  segment: { categoryId: c.categoryId, boughtWithinDays: c.withinDays },
  channel: c.channel,
  template: { id: c.template.id, en: c.template.en, link: c.template.link },
  scheduledAt: c.scheduledAt,
  status: c.status,
  recipients: c.recipients,
  processed: c.processed,
  sent: c.sent,
  ratePerSecond: c.ratePerSecond,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
});

const mailToProto = (m: DevMailRecord): DevMail => ({
  id: m.id,
  to: m.to,
  subject: m.subject,
  text: m.text,
  html: m.html,
  headers: m.headers,
  sentAt: m.sentAt,
});

export function notificationGrpcService(deps: NotificationDeps): ImplementedService {
  return implement<NotificationServiceServer>(NotificationServiceService, publicMethods, {
    async listInbox(req, ctx) {
      const page = await listInbox(
        deps,
        requirePrincipal(ctx),
        req.page ?? { limit: 0, cursor: "" },
        req.unreadOnly,
      );
      return {
        items: page.items.map(inboxToProto),
        unread: page.unread,
        page: { nextCursor: page.nextCursor },
      };
    },
    async markRead(req, ctx) {
      return { item: inboxToProto(await markRead(deps, requirePrincipal(ctx), req.notificationId)) };
    },
    async getPreferences(_req, ctx) {
      return getPreferences(deps, requirePrincipal(ctx));
    },
    async updatePreferences(req, ctx) {
      return updatePreferences(deps, requirePrincipal(ctx), { locale: req.locale, changes: req.changes });
    },
    async unsubscribe(req) {
      const claim = await unsubscribe(deps, req.token);
      return { channel: claim.channel, category: claim.category };
    },
    async createCampaign(req, ctx) {
      const c = await createCampaign(deps, requirePrincipal(ctx), {
        name: req.name,
        segment: req.segment,
        channel: req.channel,
        template: req.template,
        scheduledAt: req.scheduledAt,
        ratePerSecond: req.ratePerSecond,
      });
      return { campaign: campaignToProto(c) };
    },
    async getCampaign(req, ctx) {
      return { campaign: campaignToProto(await getCampaign(deps, requirePrincipal(ctx), req.campaignId)) };
    },
    async listDevMail(req) {
      const page = await listDevMail(deps, req.page ?? { limit: 0, cursor: "" });
      return { mails: page.mails.map(mailToProto), page: { nextCursor: page.nextCursor } };
    },
    async getDevMail(req) {
      return { mail: mailToProto(await getDevMail(deps, req.mailId)) };
    },
  });
}
