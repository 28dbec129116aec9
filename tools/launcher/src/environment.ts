import { databaseUrl, type SealingKeyPair } from "@toko/kit";
import { BUS_DATABASE } from "./databases.ts";
import type { ServiceSpec } from "./manifest.ts";

/** What every process of one run shares. */
export interface RunContext {
  adminUrl: string;
  internalSecret: string;
  /** oauth2's key-encryption key, given to oauth2 alone. */
  keyEncryptionKey: string;
  /** The notification service's sealing keys (secrets in events are sealed to the public half). */
  notificationKeys: SealingKeyPair;
  publicOrigin: string;
  baseEnv: Record<string, string | undefined>;
}

/** `TOKO_<NAME>_ADDR` for a service name (`order-history` → `TOKO_ORDER_HISTORY_ADDR`). */
export function addressVariable(name: string): string {
  return `TOKO_${name.toUpperCase().replaceAll("-", "_")}_ADDR`;
}

/** `TOKO_<NAME>_HTTP_URL` for a service that also serves HTTP (the gateway proxies to it). */
export function httpUrlVariable(name: string): string {
  return `TOKO_${name.toUpperCase().replaceAll("-", "_")}_HTTP_URL`;
}

/**
 * Pools for a dozen processes sharing one laptop's PostgreSQL: every connection is a server
 * process of several MB, and the services' own defaults (20 connections, 10 more to the bus
 * database, each kept 30 s after use) are sized for a server of their own. The operator's own
 * values (in the launcher's environment) win.
 */
export const LOCAL_POOLS: Readonly<Record<string, string>> = {
  DATABASE_POOL_SIZE: "5",
  BUS_POOL_SIZE: "2",
  DATABASE_IDLE_TIMEOUT_MS: "5000",
};

/** The TOKO_ENV a run gives its services: development unless the operator says production. */
export function launcherMode(env: Record<string, string | undefined>): "development" | "production" {
  return env.TOKO_ENV === "production" ? "production" : "development";
}

/** The environment of one service process, per the service process contract. */
export function serviceEnv(
  spec: ServiceSpec,
  all: readonly ServiceSpec[],
  ctx: RunContext,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.baseEnv)) if (v !== undefined) env[k] = v;
  for (const other of all) {
    if (other.grpcPort !== undefined) env[addressVariable(other.name)] = `127.0.0.1:${other.grpcPort}`;
    if (other.httpPort !== undefined && other.kind !== "gateway") {
      env[httpUrlVariable(other.name)] = `http://127.0.0.1:${other.httpPort}`;
    }
  }
  Object.assign(env, {
    // Named for every service: a service refuses to start on an unset bus (EVENT_BUS=none is the
    // explicit opt-out); the operator's own EVENT_BUS (e.g. nats) wins.
    EVENT_BUS: ctx.baseEnv.EVENT_BUS || "postgres",
    BUS_DATABASE_URL: databaseUrl(ctx.adminUrl, BUS_DATABASE),
    LOG_FORMAT: "json",
    // A laptop run: secrets it cannot be given are generated into the data directory instead,
    // and the demo marketplace is seeded. TOKO_ENV=production in the launcher's own environment
    // runs the services as in production (no demo; every secret they require must be given).
    TOKO_ENV: launcherMode(ctx.baseEnv),
    TOKO_INTERNAL_SECRET: ctx.internalSecret,
    TOKO_PUBLIC_ORIGIN: ctx.publicOrigin,
    TOKO_NOTIFICATION_PUBLIC_KEY: ctx.notificationKeys.publicKey,
  });
  for (const [k, v] of Object.entries(LOCAL_POOLS)) env[k] ??= v;
  if (spec.name === "oauth2") env.OAUTH2_KEY_ENCRYPTION_KEY = ctx.keyEncryptionKey;
  // Only the notification service can open what is sealed to it.
  if (spec.name === "notification") env.TOKO_NOTIFICATION_PRIVATE_KEY = ctx.notificationKeys.privateKey;
  if (spec.database) env.DATABASE_URL = databaseUrl(ctx.adminUrl, spec.database);
  if (spec.grpcPort !== undefined) env.GRPC_PORT = String(spec.grpcPort);
  if (spec.opsPort !== undefined) env.OPS_PORT = String(spec.opsPort);
  if (spec.httpPort !== undefined) {
    env.HTTP_PORT = String(spec.httpPort);
    if (spec.kind === "gateway") {
      env.GATEWAY_PORT = String(spec.httpPort);
      // A laptop run serves this machine only; set GATEWAY_HOST=0.0.0.0 to expose it.
      env.GATEWAY_HOST ??= "127.0.0.1";
    }
  }
  return env;
}
