import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
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
 * Security headers on every response (helmet; the docs page sets its own CSP) and CORS for the
 * configured origins only — an empty list means no cross-origin access at all.
 */
export async function installSecurity(app: FastifyInstance, corsOrigins: readonly string[]): Promise<void> {
  await app.register(helmet, {
    // JSON APIs and the small HTML pages we serve need no cross-origin embedding.
    crossOriginResourcePolicy: { policy: "same-origin" },
    hsts: { maxAge: 15_552_000, includeSubDomains: true },
  });
  await app.register(cors, {
    origin: corsOrigins.length > 0 ? [...corsOrigins] : false,
    credentials: true,
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "x-request-id"],
    exposedHeaders,
    maxAge: 600,
  });
}
