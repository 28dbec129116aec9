import { randomUUID } from "node:crypto";
import type * as grpc from "@grpc/grpc-js";
import { status as Status } from "@grpc/grpc-js";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { DomainError, errors } from "../errors/domain-error.ts";
import { type Logger, type Principal, requestContext } from "../log/logger.ts";
import { spansExported } from "../telemetry/tracing.ts";
import type { CallContext, ServerCallStore } from "./call-context.ts";
import { domainErrorStatus, internalErrorStatus } from "./error-mapping.ts";
import { MethodMetrics, splitPath } from "./grpc-metrics.ts";
import { metadataGetter } from "./metadata-carrier.ts";
import { type PrincipalVerifier, REQUEST_ID_HEADER } from "./principal.ts";
import { RemoteCallError } from "./remote-call-error.ts";

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
  /** Declared callable without a principal (`implement`'s `anonymous`). */
  anonymous: boolean;
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
    private readonly verifier: PrincipalVerifier,
  ) {}

  /** A grpc-js implementation for `definition` running `handlers`. */
  wrap(
    definition: grpc.ServiceDefinition,
    handlers: Record<string, AnyHandler>,
    anonymous: ReadonlySet<string> = new Set(),
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
        anonymous: anonymous.has(name),
        attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
      };
      implementation[name] = (
        call: grpc.ServerUnaryCall<unknown, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        this.serve(info, call, callback);
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
  ): void {
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
    const finished: Finished = { info, served, span, started, code: Status.OK, domainCode: undefined };
    // No trace context came in and no span is made: nothing to switch to. (No closure per call:
    // the runner gets its arguments, which under tsx also spares a naming helper call.)
    if (active === ROOT_CONTEXT) requestContext.run(store, runCall, this, finished, store, call, callback);
    else context.with(active, runInContext, undefined, this, finished, store, call, callback);
  }

  /** Verifies the principal and runs the handler inside the call's request context. */
  runHandler(
    finished: Finished,
    store: ServerCallStore,
    call: grpc.ServerUnaryCall<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): void {
    const served = finished.served;
    try {
      const principal = this.verifier.read(call.metadata);
      if (!principal && !finished.info.anonymous) {
        throw errors.unauthenticated("a principal is required: this method is not callable anonymously");
      }
      store.principal = principal;
      served.principal = principal;
      // The handler's own promise is the only one per call: on Node 20 the request context
      // rides on async hooks, so every extra promise costs a hook call.
      finished.info.handler(call.request, served).then(
        (response) => {
          try {
            if (served.aborted) finished.code = cancelledCode(store.deadlineMs);
            else callback(null, response);
          } catch (error) {
            // Nothing may escape as an unhandled rejection: that would end the process.
            this.fail(finished, error, callback, store.deadlineMs);
            return;
          }
          this.finish(finished);
        },
        (error: unknown) => this.fail(finished, error, callback, store.deadlineMs),
      );
    } catch (error) {
      this.fail(finished, error, callback, store.deadlineMs);
    }
  }

  private fail(
    finished: Finished,
    error: unknown,
    callback: grpc.sendUnaryData<unknown>,
    deadlineMs: number | undefined,
  ): void {
    if (finished.served.aborted && !(error instanceof DomainError)) {
      finished.code = cancelledCode(deadlineMs);
    } else if (error instanceof DomainError || isDependencyDown(error)) {
      if (!(error instanceof DomainError))
        this.logger.warn(
          { err: error, method: finished.info.path },
          "a service this call needs is unavailable",
        );
      const status = domainErrorStatus(error instanceof DomainError ? error : dependencyUnavailable);
      finished.code = status.code as Status;
      finished.domainCode = error instanceof DomainError ? error.code : dependencyUnavailable.code;
      callback(status);
    } else {
      finished.code = Status.INTERNAL;
      this.logger.error({ err: error, method: finished.info.path }, "unexpected error in handler");
      finished.span?.recordException(error instanceof Error ? error : String(error));
      callback(internalErrorStatus);
    }
    this.finish(finished);
  }

  private finish({ info, served, span, started, code, domainCode }: Finished): void {
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
}

function runCall(
  runtime: ServerRuntime,
  finished: Finished,
  store: ServerCallStore,
  call: grpc.ServerUnaryCall<unknown, unknown>,
  callback: grpc.sendUnaryData<unknown>,
): void {
  runtime.runHandler(finished, store, call, callback);
}

/** The same, entered from a trace context first (calls that carry one). */
function runInContext(...args: Parameters<typeof runCall>): void {
  requestContext.run(args[2], runCall, ...args);
}

/** How a call ended, gathered for the metrics, span and log line. */
interface Finished {
  info: MethodInfo;
  served: ServedCall;
  span: Span | undefined;
  started: number;
  code: Status;
  domainCode: string | undefined;
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

/**
 * A call to another service that could not be answered (down, unreachable, past its deadline) is
 * the caller's UNAVAILABLE too — retryable, a 503 at the edge — not an INTERNAL bug.
 */
function isDependencyDown(error: unknown): error is RemoteCallError {
  return (
    error instanceof RemoteCallError &&
    (error.status === Status.UNAVAILABLE || error.status === Status.DEADLINE_EXCEEDED)
  );
}

const dependencyUnavailable = new DomainError(
  "unavailable",
  "SERVICE_UNAVAILABLE",
  "a service this call depends on is unavailable; try again",
);
