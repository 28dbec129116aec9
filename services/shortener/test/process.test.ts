import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { createClient, createNatsBus } from "@toko/kit";
import {
  createTestDatabase,
  natsSkipReason,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPrincipal,
  waitForValue,
} from "@toko/testing";

// The real entry point as the launcher runs it: env in, migrations, relay to the bus, SIGTERM out.
const serviceDir = join(import.meta.dirname, "..");
const carol = { principal: testPrincipal("carol") };

/** Creates a link through the process's gRPC port. */
async function createLink(grpcAddress: string, alias: string): Promise<string | undefined> {
  const client = createClient(ShortenerServiceClient, grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  try {
    const { link } = await client.createLink({ url: "https://example.com/", alias }, carol);
    const loop = client.createLink({ url: "http://127.0.0.1:8080/s/relayed", alias: "" }, carol);
    await assert.rejects(loop, /loop/);
    return link?.shortUrl;
  } finally {
    client.close();
  }
}

const baseEnv = { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET, TOKO_PUBLIC_ORIGIN: "http://localhost:8080" };

describe("the shortener process on the Postgres bus", () => {
  let db: TestDatabase;
  let bus: TestDatabase;
  before(async () => {
    [db, bus] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  after(async () => {
    await Promise.all([db.drop(), bus.drop()]);
  });

  test("serves gRPC, relays LinkCreated to the bus and exits 0 on SIGTERM", async () => {
    const shortener = await startServiceProcess(serviceDir, {
      ...baseEnv,
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
    });
    try {
      assert.equal(await createLink(shortener.grpcAddress, "relayed"), "http://localhost:8080/s/relayed");
      const type = await waitForValue(
        async () => {
          const { rows } = await bus.pool.query<{ type: string; source: string }>(
            "SELECT type, source FROM kit_bus_events WHERE subject = 'relayed'",
          );
          return rows[0];
        },
        "LinkCreated on the bus",
        30_000,
      );
      assert.deepEqual(type, { type: "toko.shortener.v1.LinkCreated", source: "shortener" });
    } finally {
      assert.equal(await shortener.stop(), 0);
    }
  });
});

describe("the shortener process with EVENT_BUS=nats", { skip: await natsSkipReason() }, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  test("relays LinkCreated to NATS JetStream (the cluster setting), not to a Postgres bus", async () => {
    const alias = `nats-${randomBytes(4).toString("hex")}`;
    const shortener = await startServiceProcess(serviceDir, {
      ...baseEnv,
      DATABASE_URL: db.url,
      EVENT_BUS: "nats",
      NATS_URL: TEST_NATS_URL,
      BUS_DATABASE_URL: "",
    });
    const nats = await createNatsBus({ servers: TEST_NATS_URL });
    // One durable group for this test across runs (nothing left behind per run); the stream is
    // shared, so it waits for this run's subject only.
    const group = "shortener-tests.process";
    let seen!: (source: string) => void;
    const arrived = new Promise<string>((resolve, reject) => {
      seen = resolve;
      setTimeout(() => reject(new Error("LinkCreated never reached NATS")), 30_000).unref();
    });
    const consumption = await nats.consume({
      group,
      types: ["toko.shortener.v1.LinkCreated"],
      handler: async ({ envelope }) => {
        if (envelope.subject === alias) seen(envelope.source);
      },
      retryDelayMs: () => 100,
    });
    try {
      assert.equal(await createLink(shortener.grpcAddress, alias), `http://localhost:8080/s/${alias}`);
      assert.equal(await arrived, "shortener");
    } finally {
      await consumption.stop();
      await nats.close();
      assert.equal(await shortener.stop(), 0);
    }
  });
});
