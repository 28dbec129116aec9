import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** Headers a browser client may read on cross-origin responses. */
const exposedHeaders = [
  "x-request-id",
  "location",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "idempotent-replayed",
];

/**
 * The hardening headers on every response: helmet 8's defaults with our HSTS and
 * Cross-Origin-Resource-Policy choices, written out once. `@fastify/helmet` rebuilt and re-ran
 * the whole helmet middleware chain per request (CSP directives parsed each time, every header
 * through `res.setHeader`), about a tenth of a cache hit's CPU; these never vary per request.
 */
export const securityHeaders: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy":
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  "cross-origin-opener-policy": "same-origin",
  // JSON APIs and the small HTML pages we serve need no cross-origin embedding.
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
});

/** The security headers on every response, errors and 404s included (the docs page overrides the CSP). */
export function installSecurityHeaders(app: FastifyInstance): void {
  // Fastify's own header object (not `res.setHeader`), so writeHead takes Node's fast path.
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
}

/**
 * CORS for the configured origins only — an empty list means no cross-origin access at all.
 * Installed after the per-route platform hooks, so that its preflight route gets them too.
 */
export async function installCors(app: FastifyInstance, corsOrigins: readonly string[]): Promise<void> {
  await app.register(cors, {
    origin: corsOrigins.length > 0 ? [...corsOrigins] : false,
    credentials: true,
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "x-request-id"],
    exposedHeaders,
    maxAge: 600,
  });
}
