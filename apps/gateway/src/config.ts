import { env, loadConfig } from "@toko/kit";
import { z } from "zod";
import type { JwtOptions } from "./auth/jwt-verifier.ts";

const csv = () =>
  z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );

const schema = z.object({
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  GATEWAY_HOST: z.string().default("0.0.0.0"),
  GATEWAY_PORT: env.port(8080),
  TOKO_PUBLIC_ORIGIN: env.url().default("http://localhost:8080"),
  TOKO_INTERNAL_SECRET: z.string().min(16, "must be at least 16 characters"),
  /** Whole-request and header deadlines against slow clients (slowloris). */
  TOKO_REQUEST_TIMEOUT_MS: env.duration(30_000),
  TOKO_HEADERS_TIMEOUT_MS: env.duration(10_000),
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  TOKO_OAUTH2_ADDR: env.address().default("127.0.0.1:7052"),
  /** The authorization server's HTTP port, which serves the issuer behind `/oauth2`. */
  TOKO_OAUTH2_HTTP_URL: env.url().default("http://127.0.0.1:9000"),
  TOKO_PRODUCT_ADDR: env.address().default("127.0.0.1:7053"),
  TOKO_INVENTORY_ADDR: env.address().default("127.0.0.1:7054"),
  TOKO_CART_ADDR: env.address().default("127.0.0.1:7055"),
  TOKO_ORDER_ADDR: env.address().default("127.0.0.1:7056"),
  TOKO_SHIPPING_ADDR: env.address().default("127.0.0.1:7058"),
  TOKO_PAYMENT_ADDR: env.address().default("127.0.0.1:7057"),
  TOKO_SHORTENER_ADDR: env.address().default("127.0.0.1:7061"),
  TOKO_NOTIFICATION_ADDR: env.address().default("127.0.0.1:7059"),
  /** "development" (what `npm start` sets) serves the development-only pages (/dev/mail). */
  TOKO_ENV: z.enum(["development", "production"]).optional(),
  TOKO_SEARCH_ADDR: env.address().default("127.0.0.1:7060"),
  /** JWT issuer; defaults to `${TOKO_PUBLIC_ORIGIN}/oauth2`. */
  TOKO_JWT_ISSUER: env.url().optional(),
  /**
   * Where the issuer's key set is fetched. Unset: from the authorization server directly
   * (`${TOKO_OAUTH2_HTTP_URL}/oauth2/jwks`, never out through the public origin and back in),
   * or `${TOKO_JWT_ISSUER}/jwks` when another issuer is named.
   */
  TOKO_JWKS_URL: env.url().optional(),
  TOKO_JWT_AUDIENCE: z.string().default("toko-api"),
  /** Least time between JWKS refetches caused by tokens naming an unknown `kid`. */
  TOKO_JWKS_REFETCH_COOLDOWN_MS: env.duration(30_000),
  TOKO_JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(600).default(30),
  TOKO_CORS_ORIGINS: csv(),
  /** Requests per window per client for ordinary API routes. */
  TOKO_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
  TOKO_RATE_LIMIT_WINDOW_MS: env.duration(60_000),
  /**
   * Stricter per-client limits on what costs a password hash or an enumeration probe, each per
   * TOKO_RATE_LIMIT_STRICT_WINDOW_MS: registrations, login form posts, password reset requests
   * and confirmations, and unknown short codes (only misses count).
   */
  TOKO_RATE_LIMIT_REGISTER: z.coerce.number().int().min(1).default(10),
  TOKO_RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).default(30),
  TOKO_RATE_LIMIT_PASSWORD_RESET: z.coerce.number().int().min(1).default(10),
  TOKO_RATE_LIMIT_LINK_MISSES: z.coerce.number().int().min(1).default(60),
  TOKO_RATE_LIMIT_STRICT_WINDOW_MS: env.duration(600_000),
  /**
   * Proxies in front of the gateway (addresses or CIDRs, comma-separated) whose X-Forwarded-For
   * names the client; empty = none, the socket's peer is the client.
   */
  TOKO_TRUSTED_PROXIES: csv(),
  TOKO_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  TOKO_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  TOKO_GRPC_DEADLINE_MS: env.duration(3_000),
  TOKO_IDEMPOTENCY_TTL_MS: env.duration(24 * 3600_000),
  /** How long a resolved short link may be served from the gateway's cache. */
  TOKO_REDIRECT_CACHE_TTL_MS: env.duration(5_000),
  TOKO_REDIRECT_CACHE_SIZE: z.coerce.number().int().min(1).default(10_000),
  SHUTDOWN_GRACE_MS: env.duration(10_000),
  /** The built web app (`apps/web/dist`) served at `/`; unset = no web app, only the API. */
  TOKO_WEB_ROOT: z.string().optional(),
  /** "none" (default), "console" or "otlp" (to OTEL_EXPORTER_OTLP_ENDPOINT), as every service. */
  TRACE_EXPORTER: z.enum(["none", "console", "otlp"]).default("none"),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
});

/** A request budget per client: `max` requests per `windowMs`. */
export interface RateLimitSetting {
  max: number;
  windowMs: number;
}

/** Per-route budgets stricter than the general API limit. */
export interface StrictRateLimits {
  register: RateLimitSetting;
  login: RateLimitSetting;
  passwordReset: RateLimitSetting;
  /** Unknown short codes per client (hits are not counted). */
  linkMisses: RateLimitSetting;
}

/** The gateway's settings, resolved from the environment. */
export interface GatewayConfig {
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  logFormat: "json" | "pretty" | undefined;
  host: string;
  port: number;
  publicOrigin: string;
  internalSecret: string;
  /** gRPC address of each routed service, by service name. */
  services: Record<string, string>;
  jwt: JwtOptions;
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
  /** The stricter per-route limits (see TOKO_RATE_LIMIT_REGISTER…). */
  strictRateLimits: StrictRateLimits;
  /** Addresses/CIDRs allowed to name the client in X-Forwarded-For (Fastify's `trustProxy`). */
  trustedProxies: string[];
  redisUrl: string | undefined;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  grpcDeadlineMs: number;
  idempotencyTtlMs: number;
  redirectCache: { ttlMs: number; size: number };
  oauth2HttpUrl: string;
  shutdownGraceMs: number;
  /** TOKO_ENV=development: the development-only pages exist. */
  development: boolean;
  /** Directory of the built web app, or undefined. */
  webRoot: string | undefined;
  /** Span export, in the variables `initTelemetry` reads. */
  telemetry: {
    TRACE_EXPORTER: "none" | "console" | "otlp";
    OTEL_EXPORTER_OTLP_ENDPOINT: string | undefined;
  };
}

/** Reads the gateway configuration; the only place that looks at `process.env`. */
export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const c = loadConfig("gateway", schema, source);
  const origin = c.TOKO_PUBLIC_ORIGIN.replace(/\/+$/, "");
  const issuer = c.TOKO_JWT_ISSUER ?? `${origin}/oauth2`;
  // Tokens name the public issuer (`iss`), but its keys are fetched from inside: the public
  // origin may not resolve from a pod, and a hairpin through the ingress is a needless hop.
  const jwksUrl =
    c.TOKO_JWKS_URL ??
    (c.TOKO_JWT_ISSUER === undefined
      ? `${c.TOKO_OAUTH2_HTTP_URL.replace(/\/+$/, "")}/oauth2/jwks`
      : `${issuer}/jwks`);
  return {
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    host: c.GATEWAY_HOST,
    port: c.GATEWAY_PORT,
    publicOrigin: origin,
    internalSecret: c.TOKO_INTERNAL_SECRET,
    services: {
      user: c.TOKO_USER_ADDR,
      oauth2: c.TOKO_OAUTH2_ADDR,
      product: c.TOKO_PRODUCT_ADDR,
      inventory: c.TOKO_INVENTORY_ADDR,
      cart: c.TOKO_CART_ADDR,
      order: c.TOKO_ORDER_ADDR,
      shipping: c.TOKO_SHIPPING_ADDR,
      payment: c.TOKO_PAYMENT_ADDR,
      shortener: c.TOKO_SHORTENER_ADDR,
      notification: c.TOKO_NOTIFICATION_ADDR,
      search: c.TOKO_SEARCH_ADDR,
    },
    jwt: {
      issuer,
      jwksUrl,
      audience: c.TOKO_JWT_AUDIENCE,
      clockSkewSeconds: c.TOKO_JWT_CLOCK_SKEW_S,
      refetchCooldownMs: c.TOKO_JWKS_REFETCH_COOLDOWN_MS,
    },
    corsOrigins: c.TOKO_CORS_ORIGINS,
    rateLimit: { max: c.TOKO_RATE_LIMIT, windowMs: c.TOKO_RATE_LIMIT_WINDOW_MS },
    strictRateLimits: {
      register: { max: c.TOKO_RATE_LIMIT_REGISTER, windowMs: c.TOKO_RATE_LIMIT_STRICT_WINDOW_MS },
      login: { max: c.TOKO_RATE_LIMIT_LOGIN, windowMs: c.TOKO_RATE_LIMIT_STRICT_WINDOW_MS },
      passwordReset: { max: c.TOKO_RATE_LIMIT_PASSWORD_RESET, windowMs: c.TOKO_RATE_LIMIT_STRICT_WINDOW_MS },
      linkMisses: { max: c.TOKO_RATE_LIMIT_LINK_MISSES, windowMs: c.TOKO_RATE_LIMIT_STRICT_WINDOW_MS },
    },
    trustedProxies: c.TOKO_TRUSTED_PROXIES,
    redisUrl: c.TOKO_REDIS_URL,
    bodyLimitBytes: c.TOKO_BODY_LIMIT_BYTES,
    requestTimeoutMs: c.TOKO_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: c.TOKO_HEADERS_TIMEOUT_MS,
    grpcDeadlineMs: c.TOKO_GRPC_DEADLINE_MS,
    idempotencyTtlMs: c.TOKO_IDEMPOTENCY_TTL_MS,
    redirectCache: { ttlMs: c.TOKO_REDIRECT_CACHE_TTL_MS, size: c.TOKO_REDIRECT_CACHE_SIZE },
    oauth2HttpUrl: c.TOKO_OAUTH2_HTTP_URL,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    development: c.TOKO_ENV === "development",
    webRoot: c.TOKO_WEB_ROOT || undefined,
    telemetry: {
      TRACE_EXPORTER: c.TRACE_EXPORTER,
      OTEL_EXPORTER_OTLP_ENDPOINT: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
  };
}
