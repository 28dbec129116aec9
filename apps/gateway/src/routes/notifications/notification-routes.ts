import type { Static } from "@sinclair/typebox";
import type { NotificationServiceClient } from "@toko/contracts/toko/notification/v1/notification";
import type { FastifyInstance } from "fastify";
import { adminOnly, buyerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  CampaignParams,
  CampaignView,
  CreateCampaignBody,
  InboxItem,
  InboxList,
  InboxQuery,
  NotificationParams,
  Preferences,
  problems,
  UpdatePreferencesBody,
} from "./schemas.ts";
import { campaignJson, inboxJson } from "./views.ts";

const tags = ["Notifications"];
const security = [{ bearer: [] }];

/** The inbox, preferences (any signed-in user) and campaigns (admins). */
export function registerNotificationRoutes(
  app: FastifyInstance,
  upstream: Upstream<NotificationServiceClient>,
) {
  const notifications = upstream.client;

  app.get<{ Querystring: Static<typeof InboxQuery> }>(
    "/api/v1/me/notifications",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "The caller's in-app notifications, newest first, with the unread count",
        querystring: InboxQuery,
        response: { 200: InboxList, ...problems(401, 403, 422, 503, 504) },
      },
    },
    async (request) => {
      const res = await notifications.listInbox(
        { page: pageRequest(request.query), unreadOnly: request.query.unread_only ?? false },
        { principal: request.principal, requestId: request.id },
      );
      return { ...listResponse(res.items.map(inboxJson), res.page), unread: res.unread };
    },
  );

  app.post<{ Params: Static<typeof NotificationParams> }>(
    "/api/v1/me/notifications/:id/read",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Mark one of the caller's notifications read (idempotent)",
        params: NotificationParams,
        response: { 200: InboxItem, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      const { item } = await notifications.markRead(
        { notificationId: request.params.id },
        { principal: request.principal, requestId: request.id },
      );
      if (!item) throw new Error("MarkRead answered without an item");
      return inboxJson(item);
    },
  );

  app.get(
    "/api/v1/me/notification-preferences",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "The caller's preferences per channel and category, and the message locale",
        response: { 200: Preferences, ...problems(401, 403, 503, 504) },
      },
    },
    async (request) =>
      notifications.getPreferences({}, { principal: request.principal, requestId: request.id }),
  );

  app.put<{ Body: Static<typeof UpdatePreferencesBody> }>(
    "/api/v1/me/notification-preferences",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Change preferences (marketing is opt-in; transactional email and in-app stay on)",
        body: UpdatePreferencesBody,
        response: { 200: Preferences, ...problems(400, 401, 403, 415, 422, 503, 504) },
      },
    },
    async (request) =>
      notifications.updatePreferences(
        { locale: request.body.locale ?? "", changes: request.body.preferences ?? [] },
        { principal: request.principal, requestId: request.id },
      ),
  );

  app.post<{ Body: Static<typeof CreateCampaignBody> }>(
    "/api/v1/admin/campaigns",
    {
      config: { auth: adminOnly },
      schema: {
        tags,
        security,
        summary: "Create a marketing campaign: segment, channel, template, schedule",
        body: CreateCampaignBody,
        response: { 201: CampaignView, ...problems(400, 401, 403, 415, 422, 503, 504) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { campaign } = await notifications.createCampaign(
        {
          name: b.name,
          segment: {
            categoryId: b.segment.category_id ?? "",
            boughtWithinDays: b.segment.bought_within_days,
          },
          channel: b.channel,
          template: { id: b.template.id, en: b.template.en, link: b.template.link ?? "" },
          scheduledAt: b.schedule?.send_at ? new Date(b.schedule.send_at) : undefined,
          ratePerSecond: b.schedule?.rate_per_second ?? 0,
        },
        { principal: request.principal, requestId: request.id },
      );
      if (!campaign) throw new Error("CreateCampaign answered without a campaign");
      return reply
        .code(201)
        .header("location", `/api/v1/admin/campaigns/${campaign.id}`)
        .send(campaignJson(campaign));
    },
  );

  app.get<{ Params: Static<typeof CampaignParams> }>(
    "/api/v1/admin/campaigns/:id",
    {
      config: { auth: adminOnly },
      schema: {
        tags,
        security,
        summary: "One campaign with its progress",
        params: CampaignParams,
        response: { 200: CampaignView, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      const { campaign } = await notifications.getCampaign(
        { campaignId: request.params.id },
        { principal: request.principal, requestId: request.id },
      );
      if (!campaign) throw new Error("GetCampaign answered without a campaign");
      return campaignJson(campaign);
    },
  );
}
