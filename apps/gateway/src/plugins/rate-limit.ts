import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { HttpProblem } from "../problem.ts";
import type { RateLimitStore, WindowHit } from "../rate-limit/store.ts";
import { addRouteHook, singleMethod } from "./route-hooks.ts";

/** A route's own limit; routes without one share the default bucket per client. */
export interface RouteRateLimit {
  max: number;
  windowMs: number;
}

/**
 * A budget for one costly outcome of a route rather than for its every request (unknown short
 * codes: each costs a service call and a query, while hits are served from cache).
 */
export interface OutcomeLimiter {
  /** Before the costly work: a 429 once the client has used up its budget, else undefined. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<HttpProblem | undefined>;
  /** Counts one costly outcome for the client. */
  record(request: FastifyRequest): void;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** `false` exempts the route (redirects); an object gives the route its own bucket. */
    rateLimit?: RouteRateLimit | false;
  }
  interface FastifyInstance {
    /** A per-client budget counted only where the route says so (see `OutcomeLimiter`). */
    outcomeLimiter(bucket: string, limit: RouteRateLimit): OutcomeLimiter;
  }
}

/** Per client: the verified subject when signed in, else the socket's address. */
function clientKey(request: FastifyRequest): string {
  return request.principal ? `u:${request.principal.subject}` : `ip:${request.ip}`;
}

/** Sets the RateLimit-* headers for `count` requests used; a 429 problem once over `limit.max`. */
function announce(
  reply: FastifyReply,
  limit: RouteRateLimit & { header: string },
  count: number,
  resetMs: number,
): HttpProblem | undefined {
  const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
  reply.header("ratelimit-limit", limit.header);
  reply.header("ratelimit-remaining", String(Math.max(0, limit.max - count)));
  reply.header("ratelimit-reset", String(resetSeconds));
  if (count <= limit.max) return undefined;
  return new HttpProblem(429, "RATE_LIMITED", `too many requests; retry in ${resetSeconds} s`, {
    headers: { "retry-after": String(resetSeconds) },
  });
}

// Losing limits beats losing the API: a failing store lets the request through, logged.
const storeDown = (request: FastifyRequest, error: unknown) =>
  request.log.warn({ err: error }, "rate-limit store unavailable; request allowed");

/** An `OutcomeLimiter` over the store: peeks before the work, counts after it. */
function outcomeLimiter(
  store: RateLimitStore,
  bucket: string,
  limit: RouteRateLimit,
  onLimited: ((route: string) => void) | undefined,
): OutcomeLimiter {
  const announced = { ...limit, header: String(limit.max) };
  return {
    async check(request, reply) {
      try {
        const seen = await store.peek(`${bucket}|${clientKey(request)}`, limit.windowMs);
        if (seen.count < limit.max) return undefined;
        onLimited?.(bucket);
        // The request about to be refused counts as one over the budget in the headers.
        return announce(reply, announced, seen.count + 1, seen.resetMs);
      } catch (error) {
        storeDown(request, error);
        return undefined;
      }
    },
    record(request) {
      try {
        const hit = store.hit(`${bucket}|${clientKey(request)}`, limit.windowMs);
        if (hit instanceof Promise) hit.catch((error: unknown) => storeDown(request, error));
      } catch (error) {
        storeDown(request, error);
      }
    },
  };
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
  // The header value is fixed with the route, not built per request.
  const announced = { ...limit, header: String(limit.max) };
  const apply = (reply: FastifyReply, bucket: string, hit: WindowHit): HttpProblem | undefined => {
    const problem = announce(reply, announced, hit.count, hit.resetMs);
    if (problem) onLimited?.(bucket);
    return problem;
  };
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
  app.decorate("outcomeLimiter", (bucket: string, limit: RouteRateLimit) =>
    outcomeLimiter(store, bucket, limit, onLimited),
  );
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
