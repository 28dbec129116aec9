import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, makeTempDir, TEST_INTERNAL_SECRET, type TestDatabase } from "@toko/testing";
import { pino } from "pino";
import { databaseUrl, MigrationError } from "../db/migrations.ts";
import { bootstrapService } from "./bootstrap-service.ts";
import { openServiceResources } from "./service-resources.ts";

const logger = pino({ level: "silent" });

function migrationsWith(sqlText: string): string {
  const dir = makeTempDir("bootstrap-migrations");
  writeFileSync(join(dir, "0001_things.sql"), sqlText);
  return dir;
}
const goodMigrations = migrationsWith("CREATE TABLE things (id int PRIMARY KEY)");

describe("bootstrapService", () => {
  let service: TestDatabase;
  let busDb: TestDatabase;
  let blocker: Server;
  let blockedPort: number;
  before(async () => {
    [service, busDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    blockedPort = (blocker.address() as { port: number }).port;
  });
  after(async () => {
    blocker.close();
    await Promise.all([service.drop(), busDb.drop()]);
  });

  const config = (overrides: Record<string, unknown> = {}) => ({
    DATABASE_URL: service.url,
    BUS_DATABASE_URL: busDb.url,
    EVENT_BUS: "postgres" as const,
    NATS_URL: "nats://127.0.0.1:4222",
    LOG_LEVEL: "silent" as const,
    LOG_FORMAT: "json" as const,
    GRPC_HOST: "127.0.0.1",
    GRPC_PORT: 0,
    OPS_PORT: 0,
    SHUTDOWN_GRACE_MS: 1_000,
    TRACE_EXPORTER: "none" as const,
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_ALLOW_UNSIGNED_PRINCIPALS: false,
    ...overrides,
  });

  /** Connections the named service holds on its database and the bus database. */
  async function connections(name: string): Promise<number> {
    const { rows } = await service.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname IN (current_database(), $2)
          AND application_name IN ($1, 'toko-bus', 'listen:kit_outbox', 'listen:kit_timers')`,
      [name, new URL(busDb.url).pathname.slice(1)],
    );
    return rows[0]?.n ?? 0;
  }

  /** Waits for the named service's connections to go; a closed client's backend leaves a moment later. */
  async function connectionsAfterClose(name: string): Promise<number> {
    let n = await connections(name);
    for (let i = 0; i < 100 && n > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      n = await connections(name);
    }
    return n;
  }

  it("serves with a database readiness check and closes everything on stop", async () => {
    const running = await bootstrapService(
      { name: "bootok", config: config(), migrationsDir: goodMigrations, logger },
      () => ({ services: [] }),
    );
    try {
      assert.equal((await fetch(`${running.opsUrl}/readyz`)).status, 200);
      assert.ok((await connections("bootok")) > 0, "the pool, relay listener and bus are connected");
    } finally {
      await running.stop();
    }
    assert.equal(await connectionsAfterClose("bootok"), 0);
  });

  it("serves the dead-letter admin service to admins", async () => {
    const { DeadLetterServiceClient } = await import("@toko/contracts/toko/ops/v1/dead_letters");
    const { createClient } = await import("../grpc/client.ts");
    const { DomainError } = await import("../errors/domain-error.ts");
    const running = await bootstrapService(
      { name: "bootadmin", config: config(), migrationsDir: goodMigrations, logger },
      () => ({ services: [] }),
    );
    // Every service serves DeadLetterService: the target is the service's own name.
    const client = createClient(DeadLetterServiceClient, running.grpcAddress, {
      internalSecret: TEST_INTERNAL_SECRET,
      target: "bootadmin",
    });
    try {
      const admin = { subject: "ops", roles: ["admin"], scopes: [] };
      const listed = await client.listDeadLetters(
        { group: "", page: { limit: 10, cursor: "" } },
        { principal: admin },
      );
      assert.deepEqual(listed.deadLetters, []);
      const buyer = { subject: "b", roles: ["buyer"], scopes: [] };
      await assert.rejects(
        client.listDeadLetters({ group: "", page: { limit: 10, cursor: "" } }, { principal: buyer }),
        (e: unknown) => e instanceof DomainError && e.kind === "permission_denied",
      );
    } finally {
      client.close();
      await running.stop();
    }
  });

  it("closes the pool when a migration fails", async () => {
    await assert.rejects(
      openServiceResources({
        name: "badmigration",
        config: config(),
        migrationsDir: migrationsWith("CREATE TABLE broken ("),
        logger,
      }),
      MigrationError,
    );
    assert.equal(await connectionsAfterClose("badmigration"), 0);
  });

  it("closes the pool when the bus cannot be reached", async () => {
    await assert.rejects(
      openServiceResources({
        name: "badbus",
        config: config({ BUS_DATABASE_URL: databaseUrl(busDb.url, "no_such_database") }),
        migrationsDir: goodMigrations,
        logger,
      }),
      /no_such_database/,
    );
    assert.equal(await connectionsAfterClose("badbus"), 0);
  });

  it("closes the relay, consumers, clean-ups, bus and pool when wiring fails half-way", async () => {
    let cleaned = false;
    await assert.rejects(
      bootstrapService(
        { name: "badwire", config: config(), migrationsDir: goodMigrations, logger },
        async (r) => {
          r.onClose(() => {
            cleaned = true;
          });
          await r.startConsumers((c) =>
            c.subscribe("badwire.things", ["toko.things.v1.ThingMade"], async () => {}),
          );
          throw new Error("seeding failed");
        },
      ),
      /seeding failed/,
    );
    assert.equal(cleaned, true);
    assert.equal(await connectionsAfterClose("badwire"), 0);
  });

  it("closes everything when the gRPC port is taken", async () => {
    await assert.rejects(
      bootstrapService(
        {
          name: "badport",
          config: config({ GRPC_PORT: blockedPort }),
          migrationsDir: goodMigrations,
          logger,
        },
        () => ({ services: [] }),
      ),
      /already in use/,
    );
    assert.equal(await connectionsAfterClose("badport"), 0);
  });
});
