import { z } from "zod";

/** Start-up configuration is wrong: names every variable at fault. */
export class ConfigError extends Error {
  readonly issues: readonly { variable: string; message: string }[];

  constructor(service: string, issues: readonly { variable: string; message: string }[]) {
    super(
      `${service}: invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join("; ")}`,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment once against a schema whose keys are variable names. Empty strings
 * count as unset, so `FOO=` falls back to the default or is reported as missing.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: Env = process.env,
): z.infer<S> {
  const input: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(root)"),
      message: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
    })),
  );
}

/** Common variable types, so every service spells them the same way. */
export const env = {
  port: (fallback?: number) => {
    const base = z.coerce.number().int().min(0).max(65535);
    return fallback === undefined ? base : base.default(fallback);
  },
  url: () => z.url(),
  postgresUrl: () => z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  /** host:port of a gRPC peer. */
  address: () => z.string().regex(/^[\w.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i, "must be host:port"),
  duration: (fallbackMs: number) => z.coerce.number().int().min(0).default(fallbackMs),
  flag: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1"),
  logLevel: () => z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
};

/** The variables every service process understands. */
export const serviceEnvShape = {
  LOG_LEVEL: env.logLevel(),
  /** "json" (default when not a terminal) or "pretty". */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  GRPC_HOST: z.string().default("127.0.0.1"),
  GRPC_PORT: env.port(0),
  OPS_PORT: env.port(0),
  /**
   * Multiplies the deadline of every gRPC call the process makes (default 1): for a slow or
   * heavily shared machine, where calls miss their deadlines waiting for a CPU. The test runner
   * sets 3.
   */
  GRPC_DEADLINE_SCALE: z.coerce.number().min(0.1).max(100).optional(),
  /** Seconds to wait for in-flight calls on shutdown before cancelling them. */
  SHUTDOWN_GRACE_MS: env.duration(10_000),
  /** "none" (default), "console" or "otlp" (OTEL_EXPORTER_OTLP_ENDPOINT). */
  TRACE_EXPORTER: z.enum(["none", "console", "otlp"]).default("none"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** HMAC key that signs and verifies principal metadata; required unless TOKO_ALLOW_UNSIGNED_PRINCIPALS=true. */
  TOKO_INTERNAL_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** The secret being rotated out: still verifies (never signs) while every process moves to the new one. */
  TOKO_INTERNAL_SECRET_PREVIOUS: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * "development" (what `npm start` sets) relaxes what a laptop cannot provide, e.g. secrets a
   * service otherwise refuses to start without; unset or "production" relaxes nothing.
   */
  TOKO_ENV: z.enum(["development", "production"]).optional(),
  /** Development only: accept unsigned principals when no TOKO_INTERNAL_SECRET is set. */
  TOKO_ALLOW_UNSIGNED_PRINCIPALS: env.flag(false),
  // The service pool's session limits (optional here so hand-built configs need not name them;
  // unset means the defaults of DEFAULT_SESSION_TIMEOUTS). 0 turns one off.
  /** `statement_timeout`: a statement running longer is cancelled; default 30 s. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /** `lock_timeout`: waiting longer for a lock fails the statement; default 10 s. */
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /** `idle_in_transaction_session_timeout`: the server ends such a session; default 60 s. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /**
   * Connections at most in the service's pool, overriding the service's own default (usually
   * 10 or 20). `npm start` sets a small one: a dozen processes share one laptop's PostgreSQL,
   * and each connection is a server process of several MB.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).optional(),
  /** How long a pool keeps an unused connection open (service pool and bus pool); default 30 s. */
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
};
