import * as grpc from "@grpc/grpc-js";
import { ConfigError } from "../config/config.ts";
import { addHealth } from "../grpc/health.ts";
import { handlersOf, type ImplementedService } from "../grpc/implement.ts";
import { PrincipalVerifier } from "../grpc/principal.ts";
import { addReflection, contractsDescriptorSet } from "../grpc/reflection.ts";
import { ServerRuntime } from "../grpc/server-runtime.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { startOpsServer } from "../ops/ops-server.ts";
import { initTelemetry } from "../telemetry/tracing.ts";
import type { ServiceEnv } from "./service-env.ts";

export interface StartServiceOptions {
  /** The service's name, also the audience principals must be signed for (`toko.<name>.v1`). */
  name: string;
  env: ServiceEnv;
  logger?: Logger;
  services: ImplementedService[];
  /** Named checks behind /readyz (e.g. `database: () => pool.query("SELECT 1")`). */
  readiness?: Record<string, () => Promise<unknown>>;
  /** How long each readiness check may take; default 2000. */
  readinessTimeoutMs?: number;
  /** Run after the gRPC server has drained, in order (close pools, consumers...). */
  onShutdown?: (() => Promise<void>)[];
  /** Overrides TOKO_INTERNAL_SECRET. */
  internalSecret?: string;
  /** Extra descriptor sets for reflection besides the contracts' (e.g. test protos). */
  descriptorSets?: string[];
}

/** A started service process. */
export interface RunningService {
  name: string;
  grpcAddress: string;
  grpcPort: number;
  opsUrl: string;
  logger: Logger;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

function bindGrpc(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (!error) return resolve(port);
      const inUse = /EADDRINUSE|address already in use/i.test(error.message);
      reject(
        new Error(
          `gRPC port ${address} ${inUse ? "is already in use" : `could not be opened: ${error.message}`}`,
        ),
      );
    });
  });
}

/**
 * Starts a service: the gRPC server (handlers from `implement()`, health, reflection) and the
 * ops HTTP port. `stop()` (SIGTERM/SIGINT via `runMain`) marks health NOT_SERVING, stops
 * accepting calls, drains in-flight calls for up to SHUTDOWN_GRACE_MS, cuts the rest, then
 * runs the onShutdown hooks.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { name, env } = options;
  const logger =
    options.logger ?? createLogger({ service: name, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  // grpc-js writes its own errors to stderr; keep them in the service's structured log instead.
  grpc.setLogger({ error: (...args: unknown[]) => logger.warn({ grpc: args.join(" ") }, "grpc-js") });
  const telemetry = initTelemetry(name, env);
  const secret = options.internalSecret ?? env.TOKO_INTERNAL_SECRET;
  if (!secret) {
    // Without the key anyone who reaches the port could claim any identity: refuse to start
    // unless the operator asked for the insecure development mode by name.
    if (!env.TOKO_ALLOW_UNSIGNED_PRINCIPALS) {
      throw new ConfigError(name, [
        {
          variable: "TOKO_INTERNAL_SECRET",
          message:
            "is required (TOKO_ALLOW_UNSIGNED_PRINCIPALS=true accepts unsigned callers, development only)",
        },
      ]);
    }
    if (env.TOKO_INTERNAL_SECRET_PREVIOUS) {
      throw new ConfigError(name, [
        { variable: "TOKO_INTERNAL_SECRET_PREVIOUS", message: "is set without TOKO_INTERNAL_SECRET" },
      ]);
    }
    logger.warn("TOKO_INTERNAL_SECRET is not set: accepting unsigned principals (development only)");
  }
  const secrets = secret ? [secret] : [];
  if (secret && env.TOKO_INTERNAL_SECRET_PREVIOUS && env.TOKO_INTERNAL_SECRET_PREVIOUS !== secret) {
    secrets.push(env.TOKO_INTERNAL_SECRET_PREVIOUS);
  }

  const runtime = new ServerRuntime(logger, new PrincipalVerifier(name, secrets));
  // channelz keeps per-call counters and timestamps for a debugging service Toko does not serve;
  // its work shows in every call's cost, so it is off.
  const server = new grpc.Server({ "grpc.enable_channelz": 0 });
  const serviceNames: string[] = [];
  for (const service of options.services) {
    const handlers = handlersOf(service);
    server.addService(
      service.definition,
      handlers ? runtime.wrap(service.definition, handlers, service.anonymous) : service.implementation,
    );
    const first = Object.values(service.definition)[0];
    if (first) serviceNames.push(first.path.slice(1, first.path.lastIndexOf("/")));
  }
  const health = addHealth(server, serviceNames);
  addReflection(server, [contractsDescriptorSet(), ...(options.descriptorSets ?? [])], serviceNames);

  const grpcPort = await bindGrpc(server, `${env.GRPC_HOST}:${env.GRPC_PORT}`);
  let shuttingDown = false;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  try {
    ops = await startOpsServer({
      host: env.GRPC_HOST,
      port: env.OPS_PORT,
      logger,
      readiness: options.readiness ?? {},
      readinessTimeoutMs: options.readinessTimeoutMs,
      shuttingDown: () => shuttingDown,
    });
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
  health.set("SERVING");

  const drain = async (): Promise<void> => {
    shuttingDown = true;
    health.set("NOT_SERVING");
    health.endWatches();
    logger.info({ in_flight: runtime.inFlight.size }, "shutting down: draining calls");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), env.SHUTDOWN_GRACE_MS);
    });
    const closed = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(false)));
    const cut = await Promise.race([graceOver, closed]);
    clearTimeout(timer);
    if (cut) {
      logger.warn(
        { cut: runtime.inFlight.size },
        "shutdown grace period over: cancelling calls still running",
      );
      runtime.abortAll();
    }
    server.forceShutdown();
    for (const hook of options.onShutdown ?? []) {
      try {
        await hook();
      } catch (error) {
        logger.error({ err: error }, "shutdown hook failed");
      }
    }
    await ops.close();
    await telemetry.shutdown();
    logger.info("stopped");
  };
  let stopping: Promise<void> | undefined;
  logger.info({ grpc_port: grpcPort, ops_url: ops.url }, "started");
  return {
    name,
    grpcAddress: `${env.GRPC_HOST}:${grpcPort}`,
    grpcPort,
    opsUrl: ops.url,
    logger,
    stop: () => {
      stopping ??= drain();
      return stopping;
    },
  };
}
