import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { status as Status } from "@grpc/grpc-js";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { DomainError } from "../errors/domain-error.ts";
import { type Logger, type Principal, requestContext } from "../log/logger.ts";
import { spansExported } from "../telemetry/tracing.ts";
import type { CallContext, ServerCallStore } from "./call-context.ts";
import { domainErrorStatus, internalErrorStatus } from "./error-mapping.ts";
import { MethodMetrics, splitPath } from "./grpc-metrics.ts";
import { metadataGetter } from "./metadata-carrier.ts";
import { REQUEST_ID_HEADER, readPrincipal } from "./principal.ts";

type AnyHandler = (request: unknown, ctx: CallContext) => Promise<unknown>;

interface CallLogLine {
  method: string;
  code: string | undefined;
  duration_ms: number;
  error_code?: string;
}

interface MethodInfo {
  path: string;
  service: string;
  method: string;
  metrics: MethodMetrics;
  handler: AnyHandler;
  attributes: Record<string, string>;
}

// A proxy tracer: it delegates to whichever provider initTelemetry registers, so caching it is safe.
const kitTracer = trace.getTracer("@toko/kit");

/**
 * Runs the async handlers of one server: verifies the principal, sets up the request context,
 * span and abort signal, maps errors, records metrics and logs one line per call. Tracks calls
 * in flight so shutdown can drain them and cut the rest.
 */
export class ServerRuntime {
  /** The calls being served. */
  readonly inFlight = new Set<ServedCall>();

  constructor(
    private readonly logger: Logger,
    private readonly secret: string | undefined,
  ) {}

  /** A grpc-js implementation for `definition` running `handlers`. */
  wrap(
    definition: grpc.ServiceDefinition,
    handlers: Record<string, AnyHandler>,
  ): grpc.UntypedServiceImplementation {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, def] of Object.entries(definition)) {
      const handler = handlers[name];
      if (!handler) throw new Error(`no handler for ${def.path}`);
      const { service, method } = splitPath(def.path);
      const info: MethodInfo = {
        path: def.path,
        service,
        method,
        metrics: new MethodMetrics("server", service, method),
        handler,
        attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
      };
      implementation[name] = (
        call: grpc.ServerUnaryCall<unknown, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        void this.serve(info, call, callback);
      };
    }
    return implementation;
  }

  /** Aborts every call still running (end of the shutdown grace period). */
  abortAll(): void {
    for (const served of this.inFlight) served.abort(new Error("server shutting down"));
  }

  private serve(
    info: MethodInfo,
    call: grpc.ServerUnaryCall<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): Promise<void> {
    const started = performance.now();
    const metadata = call.metadata;
    const given = metadata.get(REQUEST_ID_HEADER)[0];
    const requestId = typeof given === "string" && given !== "" ? given : randomUUID();
    const rawDeadline = call.getDeadline();
    const deadlineMs = rawDeadline instanceof Date ? rawDeadline.getTime() : rawDeadline;
    const store: ServerCallStore = { requestId };
    if (Number.isFinite(deadlineMs)) store.deadlineMs = deadlineMs;

    const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
    // Without an exporter a span would only re-wrap the caller's span context: skip it and run
    // in the extracted context, which is what logs and outgoing calls read the trace from.
    const span = spansExported()
      ? kitTracer.startSpan(info.path, { kind: SpanKind.SERVER, attributes: info.attributes }, parent)
      : undefined;
    const served = new ServedCall(
      call,
      requestId,
      store.deadlineMs === undefined ? undefined : new Date(store.deadlineMs),
      this.logger,
    );
    this.inFlight.add(served);

    const active = span ? trace.setSpan(parent, span) : parent;
    const run = () =>
      requestContext.run(store, async () => {
        let code: Status = Status.OK;
        let domainCode: string | undefined;
        try {
          const principal = readPrincipal(metadata, this.secret);
          store.principal = principal;
          served.principal = principal;
          const response = await info.handler(call.request, served);
          if (served.aborted) code = cancelledCode(store.deadlineMs);
          else callback(null, response);
        } catch (error) {
          if (served.aborted && !(error instanceof DomainError)) {
            code = cancelledCode(store.deadlineMs);
          } else if (error instanceof DomainError) {
            const status = domainErrorStatus(error);
            code = status.code as Status;
            domainCode = error.code;
            callback(status);
          } else {
            code = Status.INTERNAL;
            this.logger.error({ err: error, method: info.path }, "unexpected error in handler");
            span?.recordException(error instanceof Error ? error : String(error));
            callback(internalErrorStatus);
          }
        } finally {
          this.inFlight.delete(served);
          served.done();
          const seconds = (performance.now() - started) / 1000;
          info.metrics.record(code, seconds);
          if (span) {
            if (code !== Status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: Status[code] });
            span.setAttribute("rpc.grpc.status_code", code);
            span.end();
          }
          // One small object of a fixed shape, no spread.
          const line: CallLogLine = {
            method: info.path,
            code: Status[code],
            duration_ms: Math.round(seconds * 1e4) / 10,
          };
          if (domainCode) line.error_code = domainCode;
          // Successful calls are counted and timed by the metrics; a line each would be the
          // service's largest per-call cost (as at the gateway), so they log at debug. Every
          // failed call is logged.
          if (code === Status.OK) this.logger.debug(line, "grpc call");
          else this.logger.info(line, "grpc call");
        }
      });
    // No trace context came in and no span is made: nothing to switch to.
    return active === ROOT_CONTEXT ? run() : context.with(active, run);
  }
}

/**
 * A call being served, as its handler sees it. The AbortController (and the "cancelled"
 * listener) are made only when the handler reads `signal`: most never do, and both cost.
 */
class ServedCall implements CallContext {
  principal: Principal | undefined;
  readonly metadata: grpc.Metadata;
  private controller: AbortController | undefined;
  private reason: Error | undefined;
  private onCancelled: (() => void) | undefined;

  constructor(
    private readonly call: grpc.ServerUnaryCall<unknown, unknown>,
    readonly requestId: string,
    readonly deadline: Date | undefined,
    readonly logger: Logger,
  ) {
    this.metadata = call.metadata;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      if (this.reason) controller.abort(this.reason);
      else if (this.call.cancelled) controller.abort(new Error("call cancelled"));
      else {
        this.onCancelled = () => this.abort(new Error("call cancelled"));
        this.call.once("cancelled", this.onCancelled);
      }
    }
    return this.controller.signal;
  }

  /** Whether the caller cancelled, the deadline passed or shutdown cut the call. */
  get aborted(): boolean {
    return this.reason !== undefined || this.call.cancelled;
  }

  abort(reason: Error): void {
    this.reason ??= reason;
    this.controller?.abort(reason);
  }

  /** Drops the "cancelled" listener once the call is finished. */
  done(): void {
    if (this.onCancelled) this.call.removeListener("cancelled", this.onCancelled);
  }
}

function cancelledCode(deadlineMs: number | undefined): Status {
  return deadlineMs !== undefined && Date.now() >= deadlineMs ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
}
