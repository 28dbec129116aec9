import type { Static } from "@sinclair/typebox";
import type { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import type { FastifyInstance } from "fastify";
import { buyerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import { linkJson } from "./link-view.ts";
import { CodeParams, CreateLinkBody, LinkList, LinkStats, LinkView, PageQuery, problems } from "./schemas.ts";

const tags = ["Short links"];
const security = [{ bearer: [] }];

/** Hooks the link API uses to keep the redirect path consistent with writes. */
export interface LinkRouteHooks {
  /** A code's cached resolution is stale (created over a negative entry, or disabled). */
  forget(code: string): void;
  /** Delivers buffered clicks, so an owner's stats include the clicks this gateway saw. */
  flushClicks(): Promise<void>;
}

/** `/api/v1/links…`: create, list, read, disable, stats — all for the signed-in owner. */
export function registerLinkRoutes(
  app: FastifyInstance,
  upstream: Upstream<ShortenerServiceClient>,
  publicOrigin: string,
  hooks: LinkRouteHooks,
): void {
  const shortener = upstream.client;

  app.post<{ Body: Static<typeof CreateLinkBody> }>(
    "/api/v1/links",
    {
      config: { auth: buyerOnly, idempotent: true },
      schema: {
        tags,
        security,
        summary: "Create a short link (accepts Idempotency-Key)",
        headers: {
          type: "object",
          properties: { "idempotency-key": { type: "string", maxLength: 255 } },
        },
        body: CreateLinkBody,
        response: { 201: LinkView, ...problems(400, 401, 403, 409, 413, 422, 429, 503, 504) },
      },
    },
    async (request, reply) => {
      const { url, alias, expires_at } = request.body;
      const { link } = await shortener.createLink(
        { url, alias: alias ?? "", expiresAt: expires_at ? new Date(expires_at) : undefined },
        { principal: request.principal, requestId: request.id },
      );
      if (!link) throw new Error("CreateLink answered without a link");
      hooks.forget(link.code);
      const view = linkJson(link, publicOrigin);
      return reply.code(201).header("location", view.short_url).send(view);
    },
  );

  app.get<{ Querystring: Static<typeof PageQuery> }>(
    "/api/v1/links",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "The caller's links, newest first",
        querystring: PageQuery,
        response: { 200: LinkList, ...problems(401, 403, 422, 503, 504) },
      },
    },
    async (request) => {
      const res = await shortener.listLinks(
        { page: pageRequest(request.query) },
        { principal: request.principal, requestId: request.id },
      );
      return listResponse(
        res.links.map((l) => linkJson(l, publicOrigin)),
        res.page,
      );
    },
  );

  app.get<{ Params: Static<typeof CodeParams> }>(
    "/api/v1/links/:code",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "One of the caller's links",
        params: CodeParams,
        response: { 200: LinkView, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      const { link } = await shortener.getLink(
        { code: request.params.code },
        { principal: request.principal, requestId: request.id },
      );
      if (!link) throw new Error("GetLink answered without a link");
      return linkJson(link, publicOrigin);
    },
  );

  app.post<{ Params: Static<typeof CodeParams> }>(
    "/api/v1/links/:code/disable",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Stop a link from redirecting",
        params: CodeParams,
        response: { 200: LinkView, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      const { link } = await shortener.disableLink(
        { code: request.params.code },
        { principal: request.principal, requestId: request.id },
      );
      hooks.forget(request.params.code);
      if (!link) throw new Error("DisableLink answered without a link");
      return linkJson(link, publicOrigin);
    },
  );

  app.get<{ Params: Static<typeof CodeParams> }>(
    "/api/v1/links/:code/stats",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Click statistics (owner only; another user's link is 404)",
        params: CodeParams,
        response: { 200: LinkStats, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      await hooks.flushClicks();
      const s = await shortener.getLinkStats(
        { code: request.params.code },
        { principal: request.principal, requestId: request.id },
      );
      return {
        total: s.total,
        per_day: s.perDay.map((d) => ({ date: d.date, clicks: d.clicks })),
        referrers: s.referrers.map((r) => ({ host: r.host, clicks: r.clicks })),
        user_agents: s.userAgents.map((u) => ({ family: u.family, clicks: u.clicks })),
      };
    },
  );
}
