import {
  type ShortenerServiceServer,
  ShortenerServiceService,
} from "@toko/contracts/toko/shortener/v1/shortener";
import { type ImplementOptions, implement, requirePrincipal, requireServicePrincipal } from "@toko/kit";
import type { ClickService } from "../clicks.ts";
import type { LinkResolver } from "../resolver.ts";
import type { LinkService } from "../service.ts";
import { toLinkMessage } from "./link-mapping.ts";

export interface ShortenerHandlersDeps {
  links: LinkService;
  resolver: LinkResolver;
  clicks: ClickService;
  /** Origin that short URLs are built on. */
  publicOrigin: string;
}

/** Callable without a principal: the redirect. RecordClicks is the gateway's (a service principal). */
const publicMethods: ImplementOptions<ShortenerServiceServer> = { anonymous: ["resolveLink"] };

/** The ShortenerService gRPC handlers: proto in, domain call, proto out. */
export function shortenerGrpcService({ links, resolver, clicks, publicOrigin }: ShortenerHandlersDeps) {
  return implement<ShortenerServiceServer>(ShortenerServiceService, publicMethods, {
    async createLink(req, ctx) {
      const owner = requirePrincipal(ctx).subject;
      const link = await links.create(owner, { url: req.url, alias: req.alias, expiresAt: req.expiresAt });
      return { link: toLinkMessage(link, publicOrigin) };
    },
    async getLink(req, ctx) {
      const link = await links.get(requirePrincipal(ctx).subject, req.code);
      return { link: toLinkMessage(link, publicOrigin) };
    },
    async listLinks(req, ctx) {
      const owner = requirePrincipal(ctx).subject;
      const page = await links.list(owner, { limit: req.page?.limit ?? 0, cursor: req.page?.cursor ?? "" });
      return {
        links: page.links.map((l) => toLinkMessage(l, publicOrigin)),
        page: { nextCursor: page.next },
      };
    },
    async disableLink(req, ctx) {
      const link = await links.disable(requirePrincipal(ctx).subject, req.code);
      return { link: toLinkMessage(link, publicOrigin) };
    },
    async resolveLink(req) {
      const resolution = await resolver.resolve(req.code);
      return { url: resolution.url, expiresAt: resolution.expiresAt ?? undefined };
    },
    async recordClicks(req, ctx) {
      // Clicks are observed at the edge: only the gateway (an internal service) reports them.
      requireServicePrincipal(ctx);
      const recorded = await clicks.record(
        req.batchId,
        req.clicks.map((c) => ({
          code: c.code,
          at: c.at,
          referrerHost: c.referrerHost,
          userAgent: c.userAgent,
          userAgentFamily: c.userAgentFamily,
        })),
      );
      return { recorded };
    },
    async getLinkStats(req, ctx) {
      const stats = await clicks.stats(requirePrincipal(ctx).subject, req.code);
      return {
        total: stats.total,
        perDay: stats.perDay,
        referrers: stats.referrers,
        userAgents: stats.userAgents,
      };
    },
  });
}
