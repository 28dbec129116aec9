import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { createClient } from "@toko/kit";
import {
  createTestDatabase,
  freePort,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  testPrincipal,
} from "@toko/testing";

// The real entry point as the launcher runs it: env in, migrations, relay to the bus, SIGTERM out.
let db: TestDatabase;
let bus: TestDatabase;
let child: ChildProcess;
let grpcPort: number;
let opsPort: number;

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition never became true");
}

before(async () => {
  [db, bus, grpcPort, opsPort] = await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    freePort(),
    freePort(),
  ]);
  child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "src", "main.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: bus.url,
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await until(async () =>
    (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status === 200 ? true : undefined,
  );
});

after(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all([db.drop(), bus.drop()]);
});

test("serves gRPC, relays LinkCreated to the bus and exits 0 on SIGTERM", async () => {
  const client = createClient(ShortenerServiceClient, `127.0.0.1:${grpcPort}`, {
    internalSecret: TEST_INTERNAL_SECRET,
  });
  try {
    const { link } = await client.createLink(
      { url: "https://example.com/", alias: "relayed" },
      { principal: testPrincipal("carol") },
    );
    assert.equal(link?.shortUrl, "http://localhost:8080/s/relayed");
    const loop = client.createLink(
      { url: "http://127.0.0.1:8080/s/relayed", alias: "" },
      { principal: testPrincipal("carol") },
    );
    await assert.rejects(loop, /loop/);
  } finally {
    client.close();
  }
  const type = await until(async () => {
    const { rows } = await bus.pool.query<{ type: string; source: string }>(
      "SELECT type, source FROM kit_bus_events WHERE subject = 'relayed'",
    );
    return rows[0];
  });
  assert.deepEqual(type, { type: "toko.shortener.v1.LinkCreated", source: "shortener" });
  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
});
