import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IdempotencyStore } from "../idempotency/store.ts";
import { HttpProblem } from "../problem.ts";
import { addRouteHook } from "./route-hooks.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route accepts `Idempotency-Key` (unsafe POSTs that create things). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey?: { key: string; fingerprint: string };
  }
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying; the rest (request id, rate limits) belong to the retry. */
const replayedHeaders = ["content-type", "location"];

/** JSON with object keys sorted, so the same body with its fields in another order matches. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function fingerprintOf(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`)
    .digest("hex");
}

/**
 * The request's `Idempotency-Key` (validated by the plugin on `idempotent` routes), for a route
 * whose service also keeps keys — so a retry that misses this gateway's store (another replica,
 * a restart) is still answered once. Undefined when the client sent none.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers["idempotency-key"];
  return typeof header === "string" ? header : undefined;
}

// A claim outlives a crashed or stuck request only this long; completion stores the response
// for the full TTL.
const IN_FLIGHT_TTL_MS = 60_000;

/**
 * `Idempotency-Key` for routes with `config.idempotent`: keyed per principal, the first
 * response is stored for `ttlMs` and replayed; the same key with another body → 422
 * `IDEMPOTENCY_KEY_REUSED`; a duplicate while the first is still running → 409.
 */
export function installIdempotency(app: FastifyInstance, store: IdempotencyStore, ttlMs: number): void {
  // Only routes that declare `config.idempotent` get the hooks; every other route pays nothing.
  app.addHook("onRoute", (route) => {
    if (!route.config?.idempotent) return;
    addRouteHook(route, "preHandler", claimFor(route.url, store, ttlMs));
    addRouteHook(route, "onSend", completeWith(store, ttlMs));
  });
}

/** `preHandler`: claims the key, refuses a reuse or a duplicate in flight, or replays. */
function claimFor(routeUrl: string, store: IdempotencyStore, ttlMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers["idempotency-key"];
    if (header === undefined) return;
    if (typeof header !== "string" || !keyPattern.test(header)) {
      throw new HttpProblem(
        400,
        "INVALID_IDEMPOTENCY_KEY",
        "Idempotency-Key must be 1-255 visible ASCII characters",
      );
    }
    const owner = request.principal?.subject ?? `anon:${request.ip}`;
    const key = `${owner}|${routeUrl}|${header}`;
    const fingerprint = fingerprintOf(request);
    const existing = await store.claim(key, fingerprint, Math.min(ttlMs, IN_FLIGHT_TTL_MS));
    if (existing === null) {
      request.idempotencyKey = { key, fingerprint };
      return;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new HttpProblem(
        422,
        "IDEMPOTENCY_KEY_REUSED",
        "this Idempotency-Key was used with a different request",
      );
    }
    if (existing.state === "in_flight") {
      throw new HttpProblem(
        409,
        "IDEMPOTENCY_IN_PROGRESS",
        "a request with this Idempotency-Key is still running",
        {
          headers: { "retry-after": "1" },
        },
      );
    }
    const { response } = existing;
    for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
    reply.header("idempotent-replayed", "true");
    return reply.code(response.statusCode).send(response.body);
  };
}

/** `onSend`: stores the response of a claimed key (5xx releases it, so a retry runs again). */
function completeWith(store: IdempotencyStore, ttlMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotencyKey;
    if (!claim) return payload;
    request.idempotencyKey = undefined;
    if (reply.statusCode >= 500) {
      await store.release(claim.key);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of replayedHeaders) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body =
      typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
    try {
      await store.complete(
        claim.key,
        claim.fingerprint,
        { statusCode: reply.statusCode, headers, body },
        ttlMs,
      );
    } catch (error) {
      // The response itself is fine; a retry will simply run again once the claim lapses.
      request.log.warn({ err: error }, "could not store the idempotent response");
      await store.release(claim.key).catch(() => {});
    }
    return payload;
  };
}
