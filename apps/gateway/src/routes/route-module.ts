import type * as grpc from "@grpc/grpc-js";
import type { ClientConstructor } from "@toko/kit";
import type { FastifyInstance } from "fastify";
import type { GatewayConfig } from "../config.ts";
import type { Upstream } from "../upstreams.ts";

/** Settings every route module may read. */
export type RouteSettings = Pick<
  GatewayConfig,
  "publicOrigin" | "redirectCache" | "oauth2HttpUrl" | "bodyLimitBytes" | "strictRateLimits" | "development"
>;

/** A route module as written: typed against its own generated client. */
export interface RouteModuleDefinition<C extends grpc.Client> {
  /** Name of the routed service; its address comes from `TOKO_<NAME>_ADDR`. */
  service: string;
  client: ClientConstructor<C>;
  register(app: FastifyInstance, upstream: Upstream<C>, settings: RouteSettings): void | Promise<void>;
}

/**
 * One service area of the public API: schemas and handlers plus the one gRPC service it
 * routes to. Adding a service to the edge = one module listed in `routes/index.ts`.
 */
export interface RouteModule {
  service: string;
  client: ClientConstructor<grpc.Client>;
  register(
    app: FastifyInstance,
    upstream: Upstream<grpc.Client>,
    settings: RouteSettings,
  ): void | Promise<void>;
}

/** Type-checks a module against its client, then erases the client type so modules fit one list. */
export function defineRouteModule<C extends grpc.Client>(definition: RouteModuleDefinition<C>): RouteModule {
  // Sound: the app builds the upstream from `definition.client`, so it is always an Upstream<C>.
  return definition as unknown as RouteModule;
}
