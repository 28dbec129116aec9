import type * as grpc from "@grpc/grpc-js";
import { createLogger, spansExported } from "@toko/kit";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { installAuth, unmatchedRouteAuth } from "./auth/auth-hook.ts";
import { createJwtVerifier, type TokenVerifier } from "./auth/jwt-verifier.ts";
import type { GatewayConfig } from "./config.ts";
import { createMemoryIdempotencyStore } from "./idempotency/memory-store.ts";
import { createRedisIdempotencyStore } from "./idempotency/redis-store.ts";
import { frameworkError, installErrorHandling } from "./plugins/errors.ts";
import { installIdempotency } from "./plugins/idempotency.ts";
import { installMetrics } from "./plugins/metrics.ts";
import { installOpenApi } from "./plugins/openapi.ts";
import { installRateLimit } from "./plugins/rate-limit.ts";
import { installRequestId, requestIdFor } from "./plugins/request-id.ts";
import { lazyRequestLogger } from "./plugins/request-logger.ts";
import { installCors, installSecurityHeaders } from "./plugins/security.ts";
import { installTracing } from "./plugins/tracing.ts";
import { createMemoryRateLimitStore } from "./rate-limit/memory-store.ts";
import { createRedisRateLimitStore } from "./rate-limit/redis-store.ts";
import { type RouteModule, registerOpsRoutes, routeModules } from "./routes/index.ts";
import { Upstream } from "./upstreams.ts";
import { StaticSite } from "./web/static-site.ts";
import { serveWebApp } from "./web/web-app.ts";

/** A built gateway: the Fastify instance plus what must be released with it. */
export interface Gateway {
  app: FastifyInstance;
  /** Starts listening; resolves to the base URL (`http://host:port`). */
  listen(): Promise<string>;
  /** Stops accepting, drains, flushes buffered clicks, then closes channels and stores. */
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Route modules to mount; defaults to every module in `routes/index.ts`. */
  modules?: readonly RouteModule[];
  /** Token verification; defaults to the configured issuer's JWKS. */
  verifier?: TokenVerifier;
  /** Extra routes (tests and future first-party pages), registered with the platform hooks. */
  extraRoutes?: (app: FastifyInstance) => void;
}

/** Builds the gateway: platform plugins first, then ops routes and every route module. */
export async function buildGateway(config: GatewayConfig, options: BuildOptions = {}): Promise<Gateway> {
  const app = Fastify({
    loggerInstance: createLogger({
      service: "gateway",
      level: config.logLevel,
      format: config.logFormat,
    }) as FastifyBaseLogger,
    // Per-request lines would dominate the redirect path; metrics count requests, errors are logged.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    // The per-request child logger is made only if the request logs something.
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    // A path parameter over the router's limit is an unknown id (404), not a bare 414.
    frameworkErrors: frameworkError,
    // request.ip is the client named by the trusted proxies (rate limits and sign-in lockout key on it).
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Unknown fields are refused, not silently dropped: a typo like `expiresAt` must not pass.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.server.headersTimeout = config.headersTimeoutMs;

  const rateLimitStore = config.redisUrl
    ? createRedisRateLimitStore(config.redisUrl)
    : createMemoryRateLimitStore();
  const idempotencyStore = config.redisUrl
    ? createRedisIdempotencyStore(config.redisUrl)
    : createMemoryIdempotencyStore();
  const upstreams: Upstream<grpc.Client>[] = [];

  const verifier = options.verifier ?? createJwtVerifier(config.jwt);
  // Global hooks (every response, 404s included) first; the rest add hooks per route, so they
  // must be installed before any route (the CORS preflight route included) is registered.
  const site = config.webRoot ? StaticSite.open(config.webRoot) : undefined;
  if (config.webRoot && !site)
    app.log.warn({ web_root: config.webRoot }, "the web app is not built; / answers 404");
  installErrorHandling(
    app,
    unmatchedRouteAuth(verifier),
    site ? (request, reply) => serveWebApp(site, request, reply) : undefined,
  );
  installRequestId(app);
  // A span per request when the process exports spans (initTelemetry ran first).
  if (spansExported()) installTracing(app);
  installSecurityHeaders(app);
  installMetrics(app);
  installAuth(app, verifier);
  installRateLimit(app, rateLimitStore, config.rateLimit);
  installIdempotency(app, idempotencyStore, config.idempotencyTtlMs);
  await installCors(app, config.corsOrigins);
  await installOpenApi(app, config.publicOrigin);

  for (const module of options.modules ?? routeModules) {
    const address = config.services[module.service];
    if (!address) throw new Error(`no address configured for service ${module.service}`);
    const upstream = new Upstream(module.service, address, module.client, {
      deadlineMs: config.grpcDeadlineMs,
      internalSecret: config.internalSecret,
    });
    upstreams.push(upstream);
    await module.register(app, upstream, config);
  }
  registerOpsRoutes(app, upstreams, verifier);
  options.extraRoutes?.(app);

  return {
    app,
    async listen() {
      return app.listen({ host: config.host, port: config.port });
    },
    async close() {
      await app.close();
      for (const u of upstreams) u.close();
      await Promise.all([rateLimitStore.close(), idempotencyStore.close()]);
    },
  };
}
