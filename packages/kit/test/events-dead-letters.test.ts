import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DeadLetterServiceClient } from "@toko/contracts/toko/ops/v1/dead_letters";
import { startTestService, TEST_INTERNAL_SECRET, type TestService, testPrincipal } from "@toko/testing";
import { z } from "zod";
import { deadLetter } from "../src/events/consumers.ts";
import {
  createDeadLetterStore,
  createEnvelope,
  deadLetterAdminService,
  loadConfig,
  serviceEnvShape,
  startService,
} from "../src/index.ts";
import { createServiceDb, event, type ServiceDb } from "./events-support/service-db.ts";

const run = promisify(execFile);
const cli = join(import.meta.dirname, "..", "src", "events", "cli.ts");

describe("dead letter admin (gRPC and CLI)", () => {
  let service: ServiceDb;
  let svc: TestService;
  const letters: number[] = [];

  before(async () => {
    service = await createServiceDb();
    for (let i = 0; i < 3; i++) {
      const envelope = createEnvelope("kittest", event(`dl-${i}`, `body-${i}`));
      await deadLetter(service.db, i < 2 ? "admin.g1" : "admin.g2", envelope, new Error(`boom ${i}`), 5);
    }
    const { rows } = await service.pool.query("SELECT id FROM kit_dead_letters ORDER BY id");
    letters.push(...rows.map((r) => Number(r.id)));
    const env = loadConfig("kittest", z.object(serviceEnvShape), {
      GRPC_PORT: "0",
      OPS_PORT: "0",
      LOG_LEVEL: "silent",
    });
    svc = await startTestService(() =>
      startService({
        name: "kittest",
        env,
        internalSecret: TEST_INTERNAL_SECRET,
        services: [deadLetterAdminService(createDeadLetterStore(service.pool))],
      }),
    );
  });
  after(async () => {
    await svc?.stop();
    await service?.drop();
  });

  it("lists dead letters page by page for an admin, filtered by group", async () => {
    const client = svc.client(DeadLetterServiceClient, { principal: testPrincipal("ops", ["admin"]) });
    const first = await client.listDeadLetters({ group: "", page: { limit: 2, cursor: "" } });
    assert.deepEqual(
      first.deadLetters.map((d) => d.id),
      letters.slice(0, 2),
    );
    assert.equal(first.deadLetters[0]?.error, "Error: boom 0");
    assert.equal(first.deadLetters[0]?.attempts, 5);
    assert.equal(first.deadLetters[0]?.eventType, "toko.kittest.v1.ThingMade");
    const second = await client.listDeadLetters({
      group: "",
      page: { limit: 2, cursor: first.page?.nextCursor ?? "" },
    });
    assert.deepEqual(
      second.deadLetters.map((d) => d.id),
      letters.slice(2),
    );
    assert.equal(second.page?.nextCursor, "");
    const g2 = await client.listDeadLetters({ group: "admin.g2" });
    assert.equal(g2.deadLetters.length, 1);
    await assert.rejects(client.listDeadLetters({ group: "", page: { limit: 500, cursor: "" } }), /limit/);
  });

  it("refuses callers without the admin role and anonymous callers", async () => {
    const buyer = svc.client(DeadLetterServiceClient, { principal: testPrincipal("u1", ["buyer"]) });
    await assert.rejects(buyer.redriveDeadLetter({ id: letters[0] as number }), /admin role/);
    const anonymous = svc.client(DeadLetterServiceClient);
    await assert.rejects(anonymous.listDeadLetters({ group: "" }), /a principal is required/);
    const { rows } = await service.pool.query(
      "SELECT count(*)::int AS n FROM kit_dead_letters WHERE status = 'redrive'",
    );
    assert.equal(rows[0].n, 0);
  });

  it("queues a redrive over gRPC, and reports an unknown id", async () => {
    const client = svc.client(DeadLetterServiceClient, { principal: testPrincipal("ops", ["admin"]) });
    const { deadLetter: redriven } = await client.redriveDeadLetter({ id: letters[0] as number });
    assert.equal(redriven?.status, "redrive");
    await assert.rejects(client.redriveDeadLetter({ id: 999_999 }), /not found/);
  });

  it("lists and redrives from the CLI", async () => {
    const env = { ...process.env, DATABASE_URL: service.url };
    const listed = await run(process.execPath, ["--import", "tsx", cli, "dead-letters", "list", "admin.g1"], {
      env,
    });
    assert.match(listed.stdout, /2 dead letter\(s\)/);
    assert.match(listed.stdout, /boom 1/);
    const id = letters[1] as number;
    const redriven = await run(
      process.execPath,
      ["--import", "tsx", cli, "dead-letters", "redrive", String(id)],
      { env },
    );
    assert.match(redriven.stdout, /queued for redrive/);
    const { rows } = await service.pool.query("SELECT status FROM kit_dead_letters WHERE id = $1", [id]);
    assert.equal(rows[0].status, "redrive");
    await assert.rejects(
      run(process.execPath, ["--import", "tsx", cli, "dead-letters", "redrive", "424242"], { env }),
      /not found/,
    );
    await assert.rejects(run(process.execPath, ["--import", "tsx", cli, "nonsense"], { env }), /usage/);
  });
});
