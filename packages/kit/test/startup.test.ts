// Start-up failures stop the process with one clear line; SIGTERM stops it cleanly (exit 0).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createTestDatabase, makeTempDir, TEST_INTERNAL_SECRET, type TestDatabase } from "@toko/testing";
import { z } from "zod";
import { ConfigError, loadConfig, serviceEnvShape } from "../src/index.ts";
import { startEcho, testEnv } from "./support/echo-service.ts";

const fixture = join(import.meta.dirname, "support", "fixture-main.ts");

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture service; `onStdout` may signal it once it is up. */
function run(
  vars: Record<string, string>,
  onStdout?: (text: string, kill: () => void) => void,
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture], {
      env: {
        PATH: process.env.PATH ?? "",
        LOG_FORMAT: "json",
        GRPC_PORT: "0",
        OPS_PORT: "0",
        TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
        ...vars,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, () => child.kill("SIGTERM"));
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

let db: TestDatabase;
let blocker: Server;
let blockedPort: number;
before(async () => {
  db = await createTestDatabase();
  blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  blockedPort = (blocker.address() as { port: number }).port;
});
after(async () => {
  blocker.close();
  await db.drop();
});

test("loadConfig names a missing variable", () => {
  assert.throws(
    () => loadConfig("svc", z.object({ ...serviceEnvShape, DATABASE_URL: z.string() }), {}),
    (e: unknown) =>
      e instanceof ConfigError && e.message === "svc: invalid configuration: DATABASE_URL: is required",
  );
});

test("a missing variable: exit 1 with one line naming it", async () => {
  const result = await run({});
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    "fixture: failed to start: fixture: invalid configuration: DATABASE_URL: is required\n",
  );
});

test("a failed migration stops start-up with a clear message", async () => {
  const dir = makeTempDir("kit-migrations");
  writeFileSync(join(dir, "0001_broken.sql"), "CREATE TABLE broken (id int,);");
  const result = await run({ DATABASE_URL: db.url, MIGRATIONS_DIR: dir });
  assert.equal(result.code, 1);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? "", /^fixture: failed to start: migration 0001_broken\.sql failed: syntax error/);
});

test("a gRPC port in use: exit 1 with one line saying so", async () => {
  const result = await run({ DATABASE_URL: db.url, GRPC_PORT: String(blockedPort) });
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `fixture: failed to start: gRPC port 127.0.0.1:${blockedPort} is already in use\n`,
  );
});

test("an ops port in use is a clear error", async () => {
  await assert.rejects(startEcho(undefined, { env: testEnv({ OPS_PORT: String(blockedPort) }) }), {
    message: `ops port 127.0.0.1:${blockedPort} is already in use`,
  });
});

test("a healthy start answers /readyz and SIGTERM exits 0", async () => {
  let readyStatus = 0;
  let asked = false;
  const result = await run({ DATABASE_URL: db.url, LOG_LEVEL: "info" }, (out, kill) => {
    const started = out.split("\n").find((l) => l.includes('"msg":"started"'));
    if (!started || asked) return;
    asked = true;
    const { ops_url } = JSON.parse(started) as { ops_url: string };
    void fetch(`${ops_url}/readyz`).then((res) => {
      readyStatus = res.status;
      kill();
    });
  });
  assert.equal(readyStatus, 200);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /"msg":"stopped"/);
});
