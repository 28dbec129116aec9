import { join } from "node:path";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, type Principal, type PromiseClient } from "@toko/kit";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import { ChildService } from "./child-service.ts";

/** The secret every process of a test stack shares. */
export const SECRET = "oauth2-test-internal-secret-0123456789";
const servicesDir = join(import.meta.dirname, "..", "..", "..");

/** user + oauth2 as real child processes on fresh databases. */
export interface Stack {
  user: ChildService;
  oauth2: ChildService;
  /** `${origin}/oauth2`. */
  issuer: string;
  origin: string;
  oauth2HttpPort: number;
  oauth2GrpcAddress: string;
  users: PromiseClient<UserServiceClient>;
  /** Registers a user through the real user service; returns its id. */
  register(email: string, password: string, name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** The public origin; default: the oauth2 HTTP port itself (no gateway in front). */
  origin?: (oauth2HttpPort: number) => string;
  userEnv?: Record<string, string>;
  oauth2Env?: Record<string, string>;
}

const admin: Principal = { subject: "test-admin", roles: ["admin"], scopes: [] };

/** Starts user then oauth2, each on its own database and ports, like the launcher does. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dbs: TestDatabase[] = [
    await createTestDatabase(),
    await createTestDatabase(),
    await createTestDatabase(),
  ];
  const [userDb, oauthDb, busDb] = dbs as [TestDatabase, TestDatabase, TestDatabase];
  const userGrpc = await freePort();
  const httpPort = await freePort();
  const origin = options.origin?.(httpPort) ?? `http://127.0.0.1:${httpPort}`;
  const common = {
    LOG_FORMAT: "json",
    LOG_LEVEL: "warn",
    TOKO_INTERNAL_SECRET: SECRET,
    TOKO_PUBLIC_ORIGIN: origin,
    TOKO_USER_ADDR: `127.0.0.1:${userGrpc}`,
    // As the launcher does for every service; oauth2 keeps no outbox and must ignore it quietly.
    BUS_DATABASE_URL: busDb.url,
    SHUTDOWN_GRACE_MS: "2000",
  };
  const user = new ChildService("user", join(servicesDir, "user"), {
    ...common,
    DATABASE_URL: userDb.url,
    GRPC_PORT: String(userGrpc),
    OPS_PORT: String(await freePort()),
    ...options.userEnv,
  });
  const oauth2Grpc = await freePort();
  const oauth2 = new ChildService("oauth2", join(servicesDir, "oauth2"), {
    ...common,
    DATABASE_URL: oauthDb.url,
    GRPC_PORT: String(oauth2Grpc),
    OPS_PORT: String(await freePort()),
    HTTP_PORT: String(httpPort),
    // Its own secret, never the internal one (required outside development).
    OAUTH2_KEY_ENCRYPTION_KEY: "test-oauth2-key-encryption-key-0123456789",
    ...options.oauth2Env,
  });
  await Promise.all([user.start(), oauth2.start()]);
  const users = createClient(UserServiceClient, common.TOKO_USER_ADDR, { internalSecret: SECRET });
  return {
    user,
    oauth2,
    issuer: `${origin}/oauth2`,
    origin,
    oauth2HttpPort: httpPort,
    oauth2GrpcAddress: `127.0.0.1:${oauth2Grpc}`,
    users,
    async register(email, password, name = "Test User") {
      const { user: created } = await users.register(
        { email, password, name, phone: "" },
        { principal: null },
      );
      if (!created) throw new Error("no user returned");
      return created.id;
    },
    async stop() {
      users.close();
      const [oauth2Code, userCode] = await Promise.all([oauth2.stop(), user.stop()]);
      for (const db of dbs) await db.drop();
      // A graceful SIGTERM shutdown exits 0.
      if (oauth2Code) throw new Error(`oauth2 exited with ${oauth2Code}:\n${oauth2.logs()}`);
      if (userCode) throw new Error(`user exited with ${userCode}:\n${user.logs()}`);
    },
  };
}

/** A principal with the admin role, for the admin gRPC API. */
export const adminPrincipal = admin;
