import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpProblem } from "../problem.ts";
import type { RateLimitStore } from "../rate-limit/store.ts";

/** A route's own limit; routes without one share the default bucket per client. */
export interface RouteRateLimit {
  max: number;
  windowMs: number;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** `false` exempts the route (redirects); an object gives the route its own bucket. */
    rateLimit?: RouteRateLimit | false;
  }
}

/** Per client: the verified subject when signed in, else the socket's address. */
function clientKey(request: FastifyRequest): string {
  return request.principal ? `u:${request.principal.subject}` : `ip:${request.ip}`;
}

/**
 * Fixed-window limits per client and per route, announced with the IETF draft headers
 * (`RateLimit-Limit`, `-Remaining`, `-Reset`) and enforced with 429 + `Retry-After`.
 * A store outage lets requests through (logged): losing limits beats losing the API.
 */
export function installRateLimit(
  app: FastifyInstance,
  store: RateLimitStore,
  defaults: RouteRateLimit,
  onLimited?: (route: string) => void,
): void {
  app.addHook("onRequest", async (request, reply) => {
    const own = request.routeOptions.config.rateLimit;
    if (own === false || request.routeOptions.url === undefined) return;
    const limit = own ?? defaults;
    const bucket = own ? `${request.method} ${request.routeOptions.url}` : "default";
    let hit: Awaited<ReturnType<RateLimitStore["hit"]>>;
    try {
      hit = await store.hit(`${bucket}|${clientKey(request)}`, limit.windowMs);
    } catch (error) {
      request.log.warn({ err: error }, "rate-limit store unavailable; request allowed");
      return;
    }
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    reply.header("ratelimit-limit", String(limit.max));
    reply.header("ratelimit-remaining", String(Math.max(0, limit.max - hit.count)));
    reply.header("ratelimit-reset", String(resetSeconds));
    if (hit.count > limit.max) {
      onLimited?.(bucket);
      throw new HttpProblem(429, "RATE_LIMITED", `too many requests; retry in ${resetSeconds} s`, {
        headers: { "retry-after": String(resetSeconds) },
      });
    }
  });
}
