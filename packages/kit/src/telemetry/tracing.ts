import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { ServiceEnv } from "../service/service-env.ts";
import { AsyncLocalStorageContextManager } from "./context-manager.ts";

export interface TelemetryOptions {
  /** Export spans here instead of what TRACE_EXPORTER says (tests use an in-memory exporter). */
  spanExporter?: SpanExporter;
}

let propagationReady = false;
let exporting = false;

/**
 * Whether initTelemetry registered a span exporter. When not, the kit's per-call code skips
 * span creation and uses the incoming (extracted) context as is: with the API's no-op tracer a
 * span would only re-wrap that same span context, so propagation and log trace ids are unchanged.
 */
export function spansExported(): boolean {
  return exporting;
}

/**
 * Registers the W3C propagator and an AsyncLocalStorage context manager once per process, so
 * trace context flows through gRPC even when no spans are exported.
 */
export function ensurePropagation(): void {
  if (propagationReady) return;
  propagationReady = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Sets up tracing for the process: `TRACE_EXPORTER` none (default), console or otlp. */
export function initTelemetry(
  name: string,
  env: Pick<ServiceEnv, "TRACE_EXPORTER" | "OTEL_EXPORTER_OTLP_ENDPOINT">,
  options: TelemetryOptions = {},
): { shutdown(): Promise<void> } {
  ensurePropagation();
  let processor: SpanProcessor | undefined;
  if (options.spanExporter) processor = new SimpleSpanProcessor(options.spanExporter);
  else if (env.TRACE_EXPORTER === "console") processor = new SimpleSpanProcessor(new ConsoleSpanExporter());
  else if (env.TRACE_EXPORTER === "otlp") {
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, "");
    processor = new BatchSpanProcessor(new OTLPTraceExporter(base ? { url: `${base}/v1/traces` } : {}));
  }
  // With no exporter the API's no-op tracer still carries the incoming span context forward.
  if (!processor) return { shutdown: async () => {} };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": name }),
    spanProcessors: [processor],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    throw new Error("initTelemetry: a tracer provider is already registered in this process");
  }
  exporting = true;
  return {
    shutdown: async () => {
      exporting = false;
      await provider.shutdown();
      trace.disable();
    },
  };
}
