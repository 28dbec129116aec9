import * as grpc from "@grpc/grpc-js";
import { type ClientConstructor, createClient, type PromiseClient, servicePrincipal } from "@toko/kit";
import { service as healthService } from "grpc-health-check";

/**
 * The gateway calling on its own behalf (e.g. reporting clicks), never for a user: methods that
 * are not public refuse calls without a principal.
 */
export const GATEWAY_PRINCIPAL = servicePrincipal("gateway");

/** What a route module needs to reach its service. */
export interface UpstreamOptions {
  deadlineMs: number;
  internalSecret: string;
}

interface HealthClient extends grpc.Client {
  check(
    request: { service: string },
    metadata: grpc.Metadata,
    options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: { status: string }) => void,
  ): grpc.ClientUnaryCall;
}

// grpc.health.v1 from the package's own descriptor; keys are the proto method names.
const HealthCtor = grpc.makeGenericClientConstructor(
  Object.fromEntries(
    Object.entries(healthService).map(([name, def]) => [name.charAt(0).toLowerCase() + name.slice(1), def]),
  ) as grpc.ServiceDefinition,
  "grpc.health.v1.Health",
) as unknown as ClientConstructor<HealthClient>;

// Keep probing a dead peer often (grpc-js backs off up to 120 s by default), so the gateway
// and its readiness recover within about two seconds of the service returning.
const reconnectQuickly = { "grpc.initial_reconnect_backoff_ms": 200, "grpc.max_reconnect_backoff_ms": 2_000 };

/** One routed service: its typed client and a gRPC health probe, on one address. */
export class Upstream<C extends grpc.Client> {
  readonly client: PromiseClient<C>;
  readonly #health: PromiseClient<HealthClient>;

  constructor(
    readonly name: string,
    readonly address: string,
    ctor: ClientConstructor<C>,
    options: UpstreamOptions,
  ) {
    this.client = createClient<C>(ctor, address, {
      deadlineMs: options.deadlineMs,
      internalSecret: options.internalSecret,
      channelOptions: reconnectQuickly,
    });
    this.#health = createClient<HealthClient>(HealthCtor, address, {
      deadlineMs: 1_000,
      channelOptions: reconnectQuickly,
    });
  }

  /** True when the service answers its gRPC health check with SERVING. */
  async healthy(deadlineMs = 1_000): Promise<boolean> {
    try {
      const res = await this.#health.check({ service: "" }, { deadlineMs, principal: null });
      return res.status === "SERVING";
    } catch {
      return false;
    }
  }

  close(): void {
    this.client.close();
    this.#health.close();
  }
}
