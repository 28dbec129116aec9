import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { pino } from "pino";
import {
  createEnvelope,
  createEventConsumers,
  createNatsBus,
  createPostgresBus,
  type EventBus,
  metricsRegistry,
} from "../src/index.ts";
import { deleteStream, NATS_URL, natsSkipReason } from "./events-support/nats.ts";
import { createServiceDb, event, logger, recordEffect, type ServiceDb } from "./events-support/service-db.ts";
import { until } from "./events-support/wait.ts";

const gauge = async (name: string, group: string): Promise<number | undefined> =>
  (await metricsRegistry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.group === group)?.value;

/** A logger whose error lines the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string; group?: string }[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, errors: () => lines.filter((l) => l.level === 50) };
}

/** A handler that waits for `open()` before it lets events through. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, handler: async () => opened };
}

const natsSkip = await natsSkipReason();

describe("event retention and lag", () => {
  let busDb: TestDatabase;
  let service: ServiceDb;
  const buses: EventBus[] = [];
  before(async () => {
    [busDb, service] = await Promise.all([createTestDatabase(), createServiceDb()]);
  });
  after(async () => {
    for (const b of buses) await b.close();
    await Promise.all([busDb.drop(), service.drop()]);
  });
  const bus = async (extra: Parameters<typeof createPostgresBus>[0] extends infer O ? Partial<O> : never) => {
    const b = await createPostgresBus({
      url: busDb.url,
      leaseMs: 600,
      pollIntervalMs: 100,
      logger,
      ...extra,
    });
    buses.push(b);
    return b;
  };
  it("prunes inbox rows after the inbox retention and keeps younger ones", async () => {
    await service.pool.query(
      `INSERT INTO kit_inbox (group_name, event_id, handled_at)
       SELECT 'kittest.inbox', gen_random_uuid(), now() - interval '15 days' FROM generate_series(1, 30)`,
    );
    await service.pool.query(
      "INSERT INTO kit_inbox (group_name, event_id, handled_at) VALUES ('kittest.inbox', gen_random_uuid(), now() - interval '1 day')",
    );
    const consumers = createEventConsumers({
      db: service.db,
      pool: service.pool,
      bus: await bus({}),
      logger,
      inboxPruneIntervalMs: 50,
    });
    consumers.subscribe("kittest.inbox", ["toko.kittest.v1.ThingMade"], recordEffect("kittest.inbox", "r"));
    await consumers.start();
    try {
      await until(
        async () =>
          (await service.pool.query("SELECT 1 FROM kit_inbox WHERE handled_at < now() - interval '14 days'"))
            .rowCount === 0,
        "old inbox rows pruned",
      );
      assert.equal((await service.pool.query("SELECT 1 FROM kit_inbox")).rowCount, 1);
    } finally {
      await consumers.stop();
    }
  });

  it("refuses an inbox retention not longer than the bus's retention", async () => {
    assert.throws(
      () =>
        createEventConsumers({
          db: service.db,
          pool: service.pool,
          bus: { kind: "postgres", retentionMs: 7 * 24 * 3600_000 } as EventBus,
          logger,
          inboxRetentionMs: 24 * 3600_000,
        }),
      /inbox retention .* must exceed the postgres bus's retention/,
    );
  });

  it("never prunes events a registered group has not read, and alerts loudly meanwhile", async () => {
    const { log, errors } = recordingLogger();
    // A bus of its own: every group registered on a bus (also the other tests') holds its log.
    const ownDb = await createTestDatabase();
    const pruning = await createPostgresBus({
      url: ownDb.url,
      leaseMs: 600,
      pollIntervalMs: 100,
      retentionMs: 300,
      pruneIntervalMs: 100,
      logger: log,
    });
    const logCount = async () =>
      (await ownDb.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM kit_bus_events")).rows[0]?.n;
    const readerDone = new Set<string>();
    const reader = await pruning.consume({
      group: "kittest.reader",
      types: ["toko.kittest.v1.Kept"],
      handler: async ({ envelope }) => void readerDone.add(envelope.id),
      retryDelayMs: () => 50,
    });
    // A registered group that is down (it consumed once, then stopped).
    const late = await pruning.consume({
      group: "kittest.late",
      types: ["toko.kittest.v1.Kept"],
      handler: async () => {},
      retryDelayMs: () => 50,
    });
    await late.stop();
    const envelopes = ["a", "b", "c"].map((s) =>
      createEnvelope("kittest", event(s, s, "toko.kittest.v1.Kept")),
    );
    await pruning.publish(envelopes);
    await until(() => readerDone.size === 3, "the reader handling every event");
    await until(
      async () => (await gauge("toko_bus_retention_held_events", "kittest.late")) === 3,
      "the held-back gauge",
    );
    assert.ok(
      errors().some(
        (l) => l.group === "kittest.late" && /has not read 3 events past the retention/.test(l.msg),
      ),
      "an error log names the group",
    );
    assert.equal(await logCount(), 3, "the unread events are kept");

    const lateSeen = new Set<string>();
    const back = await pruning.consume({
      group: "kittest.late",
      types: ["toko.kittest.v1.Kept"],
      handler: async ({ envelope }) => void lateSeen.add(envelope.id),
      retryDelayMs: () => 50,
    });
    await until(() => lateSeen.size === 3, "the late group reading its events");
    await until(async () => (await logCount()) === 0, "read events pruned after the retention");
    await until(
      async () => (await gauge("toko_bus_retention_held_events", "kittest.late")) === undefined,
      "the alert cleared",
    );
    await Promise.all([back.stop(), reader.stop()]);
    await pruning.close();
    await ownDb.drop();
  });

  it("shows a Postgres consumer group's lag until it catches up", async () => {
    const b = await bus({});
    const { open, handler } = gate();
    const group = "kittest.lag.pg";
    const consumption = await b.consume({
      group,
      types: ["toko.kittest.v1.Slow"],
      handler,
      retryDelayMs: () => 50,
    });
    await b.publish(
      ["1", "2", "3", "4"].map((n) => createEnvelope("kittest", event("same", n, "toko.kittest.v1.Slow"))),
    );
    await until(async () => (await gauge("toko_events_consumer_lag", group)) === 4, "a lag of 4");
    open();
    await until(async () => (await gauge("toko_events_consumer_lag", group)) === 0, "no lag");
    await consumption.stop();
  });

  it("shows a NATS consumer group's lag until it catches up", { skip: natsSkip }, async () => {
    const id = randomBytes(4).toString("hex");
    const stream = `KITTEST_${id}`;
    const b = await createNatsBus({
      servers: NATS_URL,
      stream,
      subjectPrefix: `kittest.${id}`,
      lagIntervalMs: 50,
    });
    try {
      const { open, handler } = gate();
      const group = `kittest.lag.nats.${id}`;
      const consumption = await b.consume({
        group,
        types: ["toko.kittest.v1.Slow"],
        handler,
        retryDelayMs: () => 50,
      });
      await b.publish(
        ["1", "2", "3", "4"].map((n) => createEnvelope("kittest", event("same", n, "toko.kittest.v1.Slow"))),
      );
      await until(async () => (await gauge("toko_events_consumer_lag", group)) === 4, "a lag of 4");
      open();
      await until(async () => (await gauge("toko_events_consumer_lag", group)) === 0, "no lag");
      await consumption.stop();
    } finally {
      await b.close();
      await deleteStream(stream);
    }
  });
});
