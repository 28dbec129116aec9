import * as grpc from "@grpc/grpc-js";
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
import { type Principal, requestContext } from "../log/logger.ts";
import { spansExported } from "../telemetry/tracing.ts";
import type { ServerCallStore } from "./call-context.ts";
import { errorFromStatus } from "./error-mapping.ts";
import { MethodMetrics, splitPath } from "./grpc-metrics.ts";
import { metadataSetter } from "./metadata-carrier.ts";
import { PrincipalSigner, REQUEST_ID_HEADER, targetOf } from "./principal.ts";

/** Multiplies the deadline of every call this process makes (see `GRPC_DEADLINE_SCALE`). */
export const DEADLINE_SCALE_ENV = "GRPC_DEADLINE_SCALE";
let scale: number | undefined;

/**
 * `GRPC_DEADLINE_SCALE` from the environment: a factor (0.1–100, default 1) for a slow or heavily
 * shared machine, where a call's normal deadline is missed by waiting for a CPU rather than by
 * a slow peer. The test runner sets it; a value out of range is refused at start-up (the
 * service's config says so) and ignored here.
 */
export function deadlineScale(): number {
  if (scale === undefined) {
    const given = Number(process.env[DEADLINE_SCALE_ENV] ?? "1");
    scale = Number.isFinite(given) && given >= 0.1 && given <= 100 ? given : 1;
  }
  return scale;
}

export interface ClientOptions {
  /** Deadline of each call unless the call says otherwise; default 5000. */
  deadlineMs?: number;
  /** Method names (as on the client, e.g. `getLink`) safe to retry on UNAVAILABLE. */
  idempotent?: readonly string[];
  /** Retries after the first attempt for idempotent methods; default 2. */
  maxRetries?: number;
  /** Signs the forwarded principal; without it the principal goes unsigned (dev only). */
  internalSecret?: string;
  /**
   * The service the calls are for, which principals are signed for (that service's name, as it
   * starts with `bootstrapService`). Default: from the definition, `toko.product.v1.…` → `product`;
   * needed for a definition outside that scheme or one every service serves (DeadLetterService).
   */
  target?: string;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
}

/** Per-call overrides. `principal: null` sends no principal even inside a served call. */
export interface CallOptions {
  deadlineMs?: number;
  principal?: Principal | null;
  requestId?: string;
}

type UnaryKeys<C> = {
  [K in keyof C]: C[K] extends (
    request: infer _Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: infer _Res) => void,
  ) => grpc.ClientUnaryCall
    ? K
    : never;
}[keyof C];

/** A generated grpc-js client's unary methods as promise-returning functions. */
export type PromiseClient<C> = {
  [K in UnaryKeys<C>]: C[K] extends (
    request: infer Req,
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: infer Res) => void,
  ) => grpc.ClientUnaryCall
    ? (request: Req, options?: CallOptions) => Promise<Res>
    : never;
} & {
  /** Closes the channel. */
  close(): void;
  /** Resolves once the channel is connected; rejects after `deadlineMs`. */
  waitForReady(deadlineMs: number): Promise<void>;
};

/** A generated grpc-js client class (e.g. `ShortenerServiceClient`). */
export type ClientConstructor<C extends grpc.Client> = {
  service: grpc.ServiceDefinition;
  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>): C;
};

// A proxy tracer: it delegates to whichever provider initTelemetry registers, so caching it is safe.
const kitTracer = trace.getTracer("@toko/kit");

/** One unary method of a client: everything per-method is computed once here, not per call. */
class UnaryMethod {
  private readonly metrics: MethodMetrics;
  private readonly attributes: Record<string, string>;

  constructor(
    private readonly client: grpc.Client,
    private readonly def: grpc.MethodDefinition<unknown, unknown>,
    private readonly deadlineMs: number,
    private readonly retries: number,
    private readonly signer: PrincipalSigner | undefined,
  ) {
    const { service, method } = splitPath(def.path);
    this.metrics = new MethodMetrics("client", service, method);
    this.attributes = { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method };
  }

  call(request: unknown, options: CallOptions | undefined): Promise<unknown> {
    const store = requestContext.getStore() as ServerCallStore | undefined;
    const requestId = options?.requestId ?? store?.requestId;
    const principal = options?.principal === undefined ? store?.principal : options.principal;
    const active = context.active();
    // The principal's metadata is built once per signed principal and target; a call adding
    // nothing to it passes it as is (grpc-js copies what a call starts with), otherwise it works
    // on a copy. A principal received from a caller is signed anew for this target.
    let base: grpc.Metadata | undefined;
    if (principal) {
      if (!this.signer) {
        return Promise.reject(
          new Error(
            `${this.def.path}: no target service to sign the principal for; set the client's \`target\``,
          ),
        );
      }
      base = this.signer.metadata(principal);
    }
    const needsOwn = requestId !== undefined || active !== ROOT_CONTEXT || spansExported();
    const metadata = !base ? new grpc.Metadata() : needsOwn ? base.clone() : base;
    if (requestId) metadata.set(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    let deadline = Date.now() + (options?.deadlineMs ?? this.deadlineMs) * deadlineScale();
    // A downstream call never outlives the call being served.
    if (store?.deadlineMs !== undefined && store.deadlineMs < deadline) deadline = store.deadlineMs;
    // Without an exporter the no-op span would carry the active span context unchanged, so the
    // active context is injected as is.
    let span: Span | undefined;
    if (spansExported()) {
      span = kitTracer.startSpan(
        this.def.path,
        { kind: SpanKind.CLIENT, attributes: this.attributes },
        active,
      );
      propagation.inject(trace.setSpan(active, span), metadata, metadataSetter);
    } else if (active !== ROOT_CONTEXT) propagation.inject(active, metadata, metadataSetter);
    return new Promise((resolve, reject) => {
      this.attempt(request, metadata, deadline, 0, span, started, resolve, reject);
    });
  }

  private attempt(
    request: unknown,
    metadata: grpc.Metadata,
    deadline: number,
    attempt: number,
    span: Span | undefined,
    started: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
  ): void {
    const def = this.def;
    this.client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      metadata,
      { deadline },
      (error, response) => {
        if (!error) {
          this.finish(Status.OK, span, started);
          resolve(response);
          return;
        }
        if (error.code === Status.UNAVAILABLE && attempt < this.retries) {
          // Exponential backoff with jitter, only while the deadline leaves room for another try.
          const delay = 25 * 2 ** attempt * (0.5 + Math.random());
          if (Date.now() + delay < deadline) {
            setTimeout(
              () => this.attempt(request, metadata, deadline, attempt + 1, span, started, resolve, reject),
              delay,
            );
            return;
          }
        }
        this.finish(error.code, span, started);
        reject(errorFromStatus(def.path, error));
      },
    );
  }

  private finish(code: Status, span: Span | undefined, started: number): void {
    this.metrics.record(code, (performance.now() - started) / 1000);
    if (!span) return;
    if (span.isRecording()) {
      span.setAttribute("rpc.grpc.status_code", code);
      if (code !== Status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: Status[code] });
    }
    span.end();
  }
}

/**
 * A promise client for a generated grpc-js client class: default deadline, retries for
 * idempotent methods, and request id, principal and trace context taken from the call being
 * served (`requestContext`) unless overridden. Failures come back as the callee's
 * `DomainError`, or a `RemoteCallError` with the gRPC status.
 */
export function createClient<C extends grpc.Client>(
  ctor: ClientConstructor<C>,
  address: string,
  options: ClientOptions = {},
): PromiseClient<C> {
  // channelz off, as on the server (no channelz service is served); options may turn it back on.
  const client = new ctor(address, grpc.credentials.createInsecure(), {
    "grpc.enable_channelz": 0,
    ...options.channelOptions,
  });
  const idempotent = new Set(options.idempotent ?? []);
  const deadlineMs = options.deadlineMs ?? 5_000;
  const maxRetries = options.maxRetries ?? 2;
  const target = options.target ?? targetOf(ctor.service);
  // One signer per client: its cache holds each principal signed for this target.
  const signer = target === undefined ? undefined : new PrincipalSigner(target, options.internalSecret);
  const out: Record<string, unknown> = {
    close: () => client.close(),
    waitForReady: (ms: number) =>
      new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + ms, (error) => (error ? reject(error) : resolve())),
      ),
  };
  for (const [name, def] of Object.entries(ctor.service)) {
    if (def.requestStream || def.responseStream) continue;
    const retries = idempotent.has(name) ? maxRetries : 0;
    const method = new UnaryMethod(client, def, deadlineMs, retries, signer);
    out[name] = (request: unknown, callOptions?: CallOptions) => method.call(request, callOptions);
  }
  return out as PromiseClient<C>;
}
