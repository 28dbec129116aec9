import type { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { DomainError, FastCounter } from "@toko/kit";
import type { FastifyInstance } from "fastify";
import type { RouteRateLimit } from "../../plugins/rate-limit.ts";
import { HttpProblem } from "../../problem.ts";
import type { ClickBuffer } from "../../redirect/click-buffer.ts";
import type { Resolution, ResolutionCache } from "../../redirect/resolution-cache.ts";
import { referrerHost, userAgentFamily } from "../../redirect/user-agent.ts";
import type { Upstream } from "../../upstreams.ts";

const lookups = new FastCounter({
  name: "gateway_redirect_cache_total",
  help: "Short-link resolutions by cache outcome",
  labelNames: ["outcome"],
});
// Series resolved once: the redirect path records with an addition.
const lookupHit = lookups.series("hit");
const lookupNegativeHit = lookups.series("negative_hit");
const lookupMiss = lookups.series("miss");

// Codes are [A-Za-z0-9_-]; anything else cannot exist, so it never costs a service call.
const codePattern = /^[A-Za-z0-9_-]{1,64}$/;
const RESOLVE_DEADLINE_MS = 1_000;

const notFoundPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Link not found · Toko</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">
<h1>Link not found</h1><p>This short link does not exist, has expired or was disabled.</p>
<p><a href="/">Go to Toko</a></p></body></html>
`;

/**
 * The cached or freshly resolved target; null for an unknown code. A client that used up its
 * budget of unknown codes gets the problem instead of a service call (cached answers stay free).
 */
async function resolve(
  code: string,
  cache: ResolutionCache,
  upstream: Upstream<ShortenerServiceClient>,
  requestId: string,
  misses: { check(): Promise<HttpProblem | undefined>; record(): void },
): Promise<Resolution | null | HttpProblem> {
  const cached = cache.get(code);
  if (cached.hit) {
    (cached.resolution ? lookupHit : lookupNegativeHit).inc();
    return cached.resolution;
  }
  const limited = await misses.check();
  if (limited) return limited;
  lookupMiss.inc();
  try {
    const res = await upstream.client.resolveLink(
      { code },
      { principal: null, requestId, deadlineMs: RESOLVE_DEADLINE_MS },
    );
    const resolution: Resolution = { url: res.url, expiresAt: res.expiresAt };
    cache.set(code, resolution);
    return resolution;
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") {
      cache.set(code, null);
      misses.record();
      return null;
    }
    throw error;
  }
}

/**
 * `GET /s/{code}`: 302 to the target, or 301 when the link never expires. The 301 is cacheable
 * for five minutes only (a never-expiring link can still be disabled); the 302 is not cached,
 * so every click reaches us and is counted. Unknown, expired or disabled → an HTML 404 page.
 * Only unknown codes count against the client's budget (`missLimit`); past it → 429.
 */
export function registerRedirectRoute(
  app: FastifyInstance,
  upstream: Upstream<ShortenerServiceClient>,
  cache: ResolutionCache,
  clicks: ClickBuffer,
  missLimit: RouteRateLimit,
): void {
  const misses = app.outcomeLimiter("GET /s/:code misses", missLimit);
  app.get<{ Params: { code: string } }>(
    "/s/:code",
    { config: { rateLimit: false }, schema: { hide: true } },
    async (request, reply) => {
      const { code } = request.params;
      const resolution = codePattern.test(code)
        ? await resolve(code, cache, upstream, request.id, {
            check: () => misses.check(request, reply),
            record: () => misses.record(request),
          })
        : null;
      if (resolution instanceof HttpProblem) throw resolution;
      // Expiry is checked here too: exact at the boundary even for an in-flight resolution.
      if (!resolution || (resolution.expiresAt && resolution.expiresAt.getTime() <= Date.now())) {
        return reply
          .code(404)
          .header("cache-control", "no-store")
          .type("text/html; charset=utf-8")
          .send(notFoundPage);
      }
      const userAgent = request.headers["user-agent"];
      const referer = request.headers.referer;
      clicks.record({
        code,
        at: new Date(),
        referrerHost: referrerHost(referer),
        userAgent: (userAgent ?? "").slice(0, 512),
        userAgentFamily: userAgentFamily(userAgent),
      });
      const permanent = resolution.expiresAt === undefined;
      return reply
        .code(permanent ? 301 : 302)
        .header("location", resolution.url)
        .header("cache-control", permanent ? "public, max-age=300" : "no-store")
        .send();
    },
  );
}
