import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { HttpProblem } from "../problem.ts";
import type { RateLimitStore, WindowHit } from "../rate-limit/store.ts";
import { addRouteHook, singleMethod } from "./route-hooks.ts";

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
 * The `onRequest` hook of one route: limit, bucket and header value are fixed when the route is
 * registered. A synchronous store (memory) answers without a promise.
 */
function limiterFor(
  store: RateLimitStore,
  limit: RouteRateLimit,
  bucketOf: (request: FastifyRequest) => string,
  onLimited: ((route: string) => void) | undefined,
) {
  const limitHeader = String(limit.max);
  const apply = (reply: FastifyReply, bucket: string, hit: WindowHit): HttpProblem | undefined => {
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    reply.header("ratelimit-limit", limitHeader);
    reply.header("ratelimit-remaining", String(Math.max(0, limit.max - hit.count)));
    reply.header("ratelimit-reset", String(resetSeconds));
    if (hit.count <= limit.max) return undefined;
    onLimited?.(bucket);
    return new HttpProblem(429, "RATE_LIMITED", `too many requests; retry in ${resetSeconds} s`, {
      headers: { "retry-after": String(resetSeconds) },
    });
  };
  // Losing limits beats losing the API: a failing store lets the request through, logged.
  const storeDown = (request: FastifyRequest, error: unknown) =>
    request.log.warn({ err: error }, "rate-limit store unavailable; request allowed");
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const bucket = bucketOf(request);
    let hit: WindowHit | Promise<WindowHit>;
    try {
      hit = store.hit(`${bucket}|${clientKey(request)}`, limit.windowMs);
    } catch (error) {
      storeDown(request, error);
      done();
      return;
    }
    if (hit instanceof Promise) {
      hit.then(
        (h) => done(apply(reply, bucket, h)),
        (error: unknown) => {
          storeDown(request, error);
          done();
        },
      );
    } else {
      done(apply(reply, bucket, hit));
    }
  };
}

/**
 * Fixed-window limits per client and per route, announced with the IETF draft headers
 * (`RateLimit-Limit`, `-Remaining`, `-Reset`) and enforced with 429 + `Retry-After`. Each
 * limited route gets its own hook (after auth's, which names the client); exempt routes and
 * unknown paths get none. A store outage lets requests through (logged).
 */
export function installRateLimit(
  app: FastifyInstance,
  store: RateLimitStore,
  defaults: RouteRateLimit,
  onLimited?: (route: string) => void,
): void {
  app.addHook("onRoute", (route) => {
    const own = route.config?.rateLimit;
    if (own === false) return;
    const method = singleMethod(route);
    const named = `${method} ${route.url}`;
    const bucketOf = !own
      ? () => "default"
      : method !== undefined
        ? () => named
        : (request: FastifyRequest) => `${request.method} ${route.url}`;
    addRouteHook(route, "onRequest", limiterFor(store, own || defaults, bucketOf, onLimited));
  });
}
