import type * as grpc from "@grpc/grpc-js";
import { status as Status } from "@grpc/grpc-js";
import type { CallContext } from "./call-context.ts";

/** Promise-returning handlers for every unary method of a generated `...Server` interface. */
export type AsyncHandlers<S> = {
  // The `as` clause drops UntypedServiceImplementation's string index signature.
  [K in keyof S as string extends K ? never : K]: S[K] extends grpc.handleUnaryCall<infer Req, infer Res>
    ? (request: Req, ctx: CallContext) => Promise<Res>
    : never;
};

/** Options of `implement`. */
export interface ImplementOptions<S> {
  /**
   * The methods callable without a principal (public reads, guest actions at the edge). Every
   * other method refuses a call that carries no principal with UNAUTHENTICATED before its
   * handler runs; a service calling for itself sends its `servicePrincipal` instead.
   */
  anonymous?: readonly (keyof AsyncHandlers<S>)[];
}

/** A service implementation as `startService` mounts it. */
export interface ImplementedService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
  /** Method names (as in the definition, e.g. `getLink`) callable without a principal. */
  anonymous?: ReadonlySet<string>;
}

type AnyHandler = (request: unknown, ctx: CallContext) => Promise<unknown>;

/** Where `startService` finds the async handlers behind an `implement()` result. */
export const asyncHandlers = Symbol("toko.asyncHandlers");

interface Tagged {
  [asyncHandlers]?: Record<string, AnyHandler>;
}

/**
 * Pairs a generated service definition with async handlers. `startService` wraps each one with
 * principal verification, deadlines, tracing, metrics, logging and the error mapping.
 * Usage: `implement<ShortenerServiceServer>(ShortenerServiceService, { async createLink(req, ctx) {...} })`,
 * or with options first: `implement<ShortenerServiceServer>(ShortenerServiceService, publicMethods, {...})`
 * where `const publicMethods: ImplementOptions<ShortenerServiceServer> = { anonymous: ["resolveLink"] }`.
 */
export function implement<S>(
  definition: grpc.ServiceDefinition,
  handlers: AsyncHandlers<S>,
): ImplementedService;
export function implement<S>(
  definition: grpc.ServiceDefinition,
  options: ImplementOptions<S>,
  handlers: AsyncHandlers<S>,
): ImplementedService;
export function implement<S>(
  definition: grpc.ServiceDefinition,
  optionsOrHandlers: ImplementOptions<S> | AsyncHandlers<S>,
  maybeHandlers?: AsyncHandlers<S>,
): ImplementedService {
  const options = (maybeHandlers === undefined ? {} : optionsOrHandlers) as ImplementOptions<S>;
  const handlers = maybeHandlers ?? (optionsOrHandlers as AsyncHandlers<S>);
  const byName = handlers as unknown as Record<string, AnyHandler>;
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    if (method.requestStream || method.responseStream) {
      throw new Error(`implement: ${method.path} is streaming; only unary methods are supported`);
    }
    if (typeof byName[name] !== "function") throw new Error(`implement: no handler for ${method.path}`);
    // Mounted on a bare grpc.Server these would skip principal verification; refuse instead.
    implementation[name] = (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: Status.UNIMPLEMENTED, details: "handler not mounted through startService" });
  }
  const anonymous = new Set((options.anonymous ?? []).map(String));
  for (const name of anonymous) {
    if (!definition[name]) throw new Error(`implement: anonymous method ${name} is not in the service`);
  }
  Object.defineProperty(implementation, asyncHandlers, { value: byName, enumerable: false });
  return { definition, implementation, anonymous };
}

/** The async handlers of an `implement()` result, or undefined for a hand-written implementation. */
export function handlersOf(service: ImplementedService): Record<string, AnyHandler> | undefined {
  return (service.implementation as Tagged)[asyncHandlers];
}
