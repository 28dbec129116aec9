import { AsyncLocalStorage } from "node:async_hooks";
import { trace } from "@opentelemetry/api";
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

export type { Logger };

/** What is known about the operation being served; log lines pick it up automatically. */
export interface RequestContext {
  requestId?: string;
  principal?: Principal;
}

/** The authenticated caller, as verified by the gateway and carried in gRPC metadata. */
export interface Principal {
  subject: string;
  roles: readonly string[];
  scopes: readonly string[];
  /** OAuth client the token was issued to, when known. */
  clientId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Keys whose values never reach a log line. */
const redactPaths = [
  "password",
  "*.password",
  "token",
  "*.token",
  "accessToken",
  "refreshToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "secret",
  "*.secret",
];

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  format?: "json" | "pretty";
  /** Where JSON lines go; defaults to stdout. */
  destination?: DestinationStream;
}

/** JSON logs carrying service, request id and trace id; readable when a person is watching. */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? (process.stdout.isTTY ? "pretty" : "json");
  const base = {
    level: options.level ?? "info",
    base: { service: options.service },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin() {
      const ctx = requestContext.getStore();
      const span = trace.getActiveSpan()?.spanContext();
      const fields: Record<string, string> = {};
      if (ctx?.requestId) fields.request_id = ctx.requestId;
      if (span && span.traceFlags !== undefined && span.traceId !== "00000000000000000000000000000000") {
        fields.trace_id = span.traceId;
      }
      return fields;
    },
  };
  if (format === "pretty" && !options.destination) {
    return pino({ ...base, transport: { target: "pino-pretty", options: { ignore: "pid,hostname" } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
