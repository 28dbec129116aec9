import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { OAuth2AdminServiceClient } from "@toko/contracts/toko/oauth2/v1/oauth2";
import { PasswordResetRequested } from "@toko/contracts/toko/user/v1/events";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import {
  createClient,
  decodeEnvelope,
  generateSealingKeys,
  openSealedSecret,
  type PromiseClient,
} from "@toko/kit";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import * as oidc from "openid-client";
import { buildGateway, type Gateway } from "../src/app.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { routeModules } from "../src/routes/index.ts";
import { inventoryModule } from "../src/routes/inventory/index.ts";
import { oauth2ProxyModule } from "../src/routes/oauth2-proxy.ts";
import { usersModule } from "../src/routes/users/index.ts";

// The identity stack the way it runs: user and oauth2 as real child processes, the real gateway
// on a socket serving the issuer at {origin}/oauth2, and a standard OIDC client in front of it.
export const SECRET = "gateway-identity-e2e-secret-0123456789";
/** oauth2's key-encryption key: its own secret, sealing its signing keys at rest. */
export const KEY_ENCRYPTION_KEY = "test-oauth2-key-encryption-key-0123456789";
const servicesDir = join(import.meta.dirname, "..", "..", "..", "services");

/** A service as a child process (`node --import tsx src/main.ts`), ready when /readyz is 200. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  constructor(
    private readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(servicesDir, this.name, "src", "main.ts")],
      {
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", LOG_FORMAT: "json", ...this.env },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    this.child = child;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || i > 600) throw new Error(`${this.name} did not become ready`);
      const ok = await fetch(`http://127.0.0.1:${this.env.OPS_PORT}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
}

/** A TCP listener that counts connections and drops them: a routed service that is not there. */
export interface CountingPort {
  address: string;
  connections(): number;
  close(): Promise<void>;
}

async function countingPort(): Promise<CountingPort> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Everything a test needs to drive the identity stack. */
export interface IdentityStack extends StackBase {
  /** Where the gateway thinks the inventory service is: nothing answers, connections are counted. */
  inventory: CountingPort;
}

/** The identity stack plus product, inventory and shortener processes, every API area routed. */
export type MarketplaceStack = StackBase;

interface StackBase {
  origin: string;
  issuer: string;
  oauth2: ServiceProcess;
  /** The user service's own database (for reading its outbox, as the notification service would). */
  userDb: TestDatabase;
  /** The oauth2 service's own database (for reading its stored signing keys). */
  oauthDb: TestDatabase;
  /** The user service over gRPC, as an internal service would call it. */
  users: PromiseClient<UserServiceClient>;
  /** The oauth2 admin API over gRPC. */
  admin: PromiseClient<OAuth2AdminServiceClient>;
  /** The latest reset token of a user, opened from its outbox event as the notification service would. */
  resetToken(userId: string): Promise<string>;
  /** Registers through `POST /api/v1/users`; returns the new user's id. */
  register(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts user + oauth2 (real processes, fresh databases) and the gateway in this process;
 * `gatewayEnv` and `oauth2Env` override their variables.
 */
export async function startIdentityStack(
  userEnv: Record<string, string> = {},
  gatewayEnv: Record<string, string> = {},
  oauth2Env: Record<string, string> = {},
): Promise<IdentityStack> {
  const inventory = await countingPort();
  const stack = await startStack(userEnv, { inventoryAddress: inventory.address, gatewayEnv, oauth2Env });
  return {
    ...stack,
    inventory,
    async close() {
      await stack.close();
      await inventory.close();
    },
  };
}

/**
 * The identity stack plus the product, inventory and shortener services as real processes on
 * one PostgreSQL event bus, with every route module mounted: the whole API a client can use.
 */
export function startMarketplaceStack(): Promise<MarketplaceStack> {
  return startStack({}, { marketplace: true });
}

async function startStack(
  userEnv: Record<string, string>,
  options: {
    inventoryAddress?: string;
    marketplace?: boolean;
    gatewayEnv?: Record<string, string>;
    oauth2Env?: Record<string, string>;
  },
): Promise<StackBase> {
  const [gatewayPort, userGrpc, userOps, oauthGrpc, oauthOps, oauthHttp] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const origin = `http://127.0.0.1:${gatewayPort}`;
  const [userDb, oauthDb, busDb] = await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    options.marketplace ? createTestDatabase() : undefined,
  ]);
  const bus: Record<string, string> = busDb ? { EVENT_BUS: "postgres", BUS_DATABASE_URL: busDb.url } : {};
  const common = { TOKO_INTERNAL_SECRET: SECRET, TOKO_PUBLIC_ORIGIN: origin, SHUTDOWN_GRACE_MS: "2000" };
  const notificationKeys = generateSealingKeys();
  const user = new ServiceProcess("user", {
    ...common,
    EVENT_BUS: "none",
    ...bus,
    TOKO_NOTIFICATION_PUBLIC_KEY: notificationKeys.publicKey,
    DATABASE_URL: userDb.url,
    GRPC_PORT: String(userGrpc),
    OPS_PORT: String(userOps),
    ...userEnv,
  });
  const oauth2 = new ServiceProcess("oauth2", {
    ...common,
    DATABASE_URL: oauthDb.url,
    EVENT_BUS: "none",
    ...bus,
    GRPC_PORT: String(oauthGrpc),
    OPS_PORT: String(oauthOps),
    HTTP_PORT: String(oauthHttp),
    TOKO_USER_ADDR: `127.0.0.1:${userGrpc}`,
    OAUTH2_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY,
    ...options.oauth2Env,
  });
  const areas = options.marketplace ? await areaServices(common, bus, `127.0.0.1:${userGrpc}`) : undefined;
  // All at once: none needs another to start, only to serve calls.
  await Promise.all([user, oauth2, ...(areas?.services ?? [])].map((service) => service.start()));
  const config = loadGatewayConfig({
    LOG_LEVEL: "silent",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: String(gatewayPort),
    TOKO_PUBLIC_ORIGIN: origin,
    TOKO_INTERNAL_SECRET: SECRET,
    TOKO_JWKS_REFETCH_COOLDOWN_MS: "0",
    TOKO_USER_ADDR: `127.0.0.1:${userGrpc}`,
    TOKO_OAUTH2_ADDR: `127.0.0.1:${oauthGrpc}`,
    TOKO_OAUTH2_HTTP_URL: `http://127.0.0.1:${oauthHttp}`,
    ...(areas?.addresses ?? { TOKO_INVENTORY_ADDR: options.inventoryAddress ?? "127.0.0.1:9" }),
    ...options.gatewayEnv,
  });
  const gateway: Gateway = await buildGateway(config, {
    modules: areas ? routeModules : [oauth2ProxyModule, usersModule, inventoryModule],
  });
  await gateway.listen();
  const users = createClient(UserServiceClient, `127.0.0.1:${userGrpc}`, { internalSecret: SECRET });
  const admin = createClient(OAuth2AdminServiceClient, `127.0.0.1:${oauthGrpc}`, { internalSecret: SECRET });
  return {
    origin,
    issuer: `${origin}/oauth2`,
    oauth2,
    userDb,
    oauthDb,
    users,
    admin,
    async resetToken(userId) {
      const { rows } = await userDb.pool.query<{ envelope: Buffer }>(
        "SELECT envelope FROM kit_outbox WHERE type = $1 AND subject = $2 ORDER BY id DESC LIMIT 1",
        ["toko.user.v1.PasswordResetRequested", userId],
      );
      const envelope = rows[0]?.envelope;
      if (!envelope) throw new Error(`no reset requested for ${userId}`);
      const { sealedToken } = PasswordResetRequested.decode(decodeEnvelope(envelope).payload);
      if (!sealedToken) throw new Error("the reset event carries no sealed token");
      return openSealedSecret(notificationKeys.privateKey, sealedToken, `reset_password:${userId}`);
    },
    async register(email, password) {
      const res = await fetch(`${origin}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, name: email.split("@")[0] }),
      });
      if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${await res.text()}`);
      return String(((await res.json()) as { id: string }).id);
    },
    async close() {
      users.close();
      admin.close();
      await gateway.close();
      await Promise.all([user, oauth2, ...(areas?.services ?? [])].map((service) => service.stop()));
      await Promise.all([userDb, oauthDb, busDb, ...(areas?.dbs ?? [])].map((db) => db?.drop()));
    },
  };
}

/** Product, inventory and shortener processes (not started) on fresh databases; the gateway's addresses of them. */
async function areaServices(
  common: Record<string, string>,
  bus: Record<string, string>,
  userAddress: string,
) {
  const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const dbs = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  const [productDb, inventoryDb, shortenerDb] = dbs;
  const at = (i: number) => ({
    ...common,
    ...bus,
    GRPC_PORT: String(ports[i]),
    OPS_PORT: String(ports[i + 1]),
  });
  const addresses = {
    TOKO_PRODUCT_ADDR: `127.0.0.1:${ports[0]}`,
    TOKO_INVENTORY_ADDR: `127.0.0.1:${ports[2]}`,
    TOKO_SHORTENER_ADDR: `127.0.0.1:${ports[4]}`,
  };
  const services = [
    new ServiceProcess("product", {
      ...at(0),
      DATABASE_URL: String(productDb?.url),
      TOKO_USER_ADDR: userAddress,
    }),
    new ServiceProcess("inventory", {
      ...at(2),
      DATABASE_URL: String(inventoryDb?.url),
      TOKO_PRODUCT_ADDR: addresses.TOKO_PRODUCT_ADDR,
    }),
    new ServiceProcess("shortener", { ...at(4), DATABASE_URL: String(shortenerDb?.url) }),
  ];
  return { services, addresses, dbs };
}

/** openid-client discovery against the gateway's issuer (plain http on loopback). */
export function discoverVia(
  issuer: string,
  clientId: string,
  auth: oidc.ClientAuth = oidc.None(),
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}
