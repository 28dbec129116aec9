import type * as grpc from "@grpc/grpc-js";
import {
  type ClientConstructor,
  type ClientOptions,
  createClient,
  type Principal,
  type PromiseClient,
  type RunningService,
} from "@toko/kit";

/** The internal secret test services and clients share (never used outside tests). */
export const TEST_INTERNAL_SECRET = "toko-test-internal-secret-0123456789";

/**
 * A principal for tests: `testPrincipal("u1", ["buyer"])`. Its scopes default to its roles, as
 * in a token whose client was granted every scope the user's roles allow.
 */
export function testPrincipal(
  subject: string,
  roles: readonly string[] = ["buyer"],
  scopes: readonly string[] = roles,
): Principal {
  return { subject, roles, scopes };
}

export interface TestClientOptions extends ClientOptions {
  /** Sent with every call unless a call overrides it; default none. */
  principal?: Principal;
}

/** A service started for a test, with real gRPC clients to it. */
export interface TestService {
  service: RunningService;
  grpcAddress: string;
  opsUrl: string;
  /** A promise client over a real channel; closed by `stop()`. */
  client<C extends grpc.Client>(ctor: ClientConstructor<C>, options?: TestClientOptions): PromiseClient<C>;
  /** Closes the clients and stops the service gracefully. */
  stop(): Promise<void>;
}

/**
 * Starts a service for a test. The start function should build its config with
 * `GRPC_PORT=0`, `OPS_PORT=0` (random ports) and `TOKO_INTERNAL_SECRET=TEST_INTERNAL_SECRET`.
 * Its clients sign principals for the service's name unless given another `target`.
 * Usage: `const svc = await startTestService(() => startShortener(config)); svc.client(ShortenerServiceClient, { principal })`.
 */
export async function startTestService(start: () => Promise<RunningService>): Promise<TestService> {
  const service = await start();
  const clients: { close(): void }[] = [];
  return {
    service,
    grpcAddress: service.grpcAddress,
    opsUrl: service.opsUrl,
    client<C extends grpc.Client>(
      ctor: ClientConstructor<C>,
      options: TestClientOptions = {},
    ): PromiseClient<C> {
      const { principal, ...clientOptions } = options;
      // Principals are signed for the service under test (its name), whatever the definition's package.
      const client = createClient<C>(ctor, service.grpcAddress, {
        internalSecret: TEST_INTERNAL_SECRET,
        target: service.name,
        ...clientOptions,
      });
      clients.push(client);
      if (!principal) return client;
      // Wrap each method so the principal is the default, still overridable per call.
      const withPrincipal: Record<string, unknown> = { ...client };
      for (const [name, fn] of Object.entries(client)) {
        if (name === "close" || name === "waitForReady" || typeof fn !== "function") continue;
        withPrincipal[name] = (request: unknown, callOptions: { principal?: Principal | null } = {}) =>
          (fn as (r: unknown, o: unknown) => Promise<unknown>)(request, { principal, ...callOptions });
      }
      return withPrincipal as typeof client;
    },
    async stop() {
      for (const client of clients) client.close();
      await service.stop();
    },
  };
}
