import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, makeTempDir, type TestDatabase, waitFor } from "@toko/testing";
import { pino } from "pino";
import { sql, transaction } from "../db/database.ts";
import { createOutbox } from "../events/outbox.ts";
import { metricsRegistry } from "../telemetry/metrics.ts";
import { schedule } from "../timers/timers.ts";
import { openServiceResources } from "./service-resources.ts";

interface WidgetDb {
  widgets: { id: number; name: string };
}

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

const migrationsDir = makeTempDir("widget-migrations");
writeFileSync(
  join(migrationsDir, "0001_widgets.sql"),
  "CREATE TABLE widgets (id int PRIMARY KEY, name text)",
);

describe("openServiceResources", () => {
  let service: TestDatabase;
  let busDb: TestDatabase;
  before(async () => {
    [service, busDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  after(async () => {
    await Promise.all([service.drop(), busDb.drop()]);
  });

  it("migrates, relays outbox events over the Postgres bus to consumers, runs timers and closes in order", async () => {
    const { logger, warnings } = recordingLogger();
    const resources = await openServiceResources<WidgetDb>({
      name: "widget",
      config: {
        DATABASE_URL: service.url,
        BUS_DATABASE_URL: busDb.url,
        EVENT_BUS: "postgres",
        NATS_URL: "nats://x:1",
        LOG_LEVEL: "info",
      },
      migrationsDir,
      logger,
      relay: { pollIntervalMs: 50 },
    });
    assert.equal(resources.bus?.kind, "postgres");
    assert.ok(resources.relay);
    assert.deepEqual(warnings(), []);
    await resources.db.insertInto("widgets").values({ id: 1, name: "first" }).execute();

    const seen: string[] = [];
    const consumers = await resources.startConsumers((c) =>
      c.subscribe("widget.tests", ["toko.widget.v1.WidgetMade"], async (event) => {
        seen.push(event.subject);
      }),
    );
    assert.ok(consumers);
    const fired: string[] = [];
    resources.startTimers({ handlers: { "widget.ping": async (timer) => void fired.push(timer.key) } });

    await transaction(resources.db, async (trx) => {
      await createOutbox("widget").add(trx, [
        { type: "toko.widget.v1.WidgetMade", subject: "w1", payload: new Uint8Array() },
      ]);
      await schedule(trx, { kind: "widget.ping", key: "k1", at: new Date() });
    });
    await waitFor(() => seen.includes("w1"), "the event delivered");
    await waitFor(() => fired.includes("k1"), "the timer fired");

    // Clean-ups run last-added first, after the workers stopped and while the pool is still open.
    const order: string[] = [];
    resources.onClose(async () => {
      await resources.pool.query("SELECT 1");
      order.push("first added");
    });
    resources.onClose(() => order.push("second added"));
    await resources.close();
    await resources.close();
    assert.deepEqual(order, ["second added", "first added"]);
    assert.equal(resources.pool.ended, true);
    await assert.rejects(resources.pool.query("SELECT 1"));
    // A closed client's server process leaves pg_stat_activity a moment after the socket closes.
    await waitFor(async () => {
      const { rows } = await busDb.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'toko-bus'",
      );
      return rows[0]?.n === 0;
    }, "the bus's connections are closed");
    const left = await service.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM kit_outbox WHERE delivered_at IS NULL",
    );
    assert.equal(left.rows[0]?.n, 0);
  });

  it("DATABASE_POOL_SIZE caps the service's connections over its own default, DATABASE_IDLE_TIMEOUT_MS closes idle ones", async () => {
    const resources = await openServiceResources<WidgetDb>({
      name: "widget-pool",
      config: {
        DATABASE_URL: service.url,
        LOG_LEVEL: "info",
        DATABASE_POOL_SIZE: 2,
        DATABASE_IDLE_TIMEOUT_MS: 300,
      },
      kitTables: false,
      poolMax: 20,
      logger: recordingLogger().logger,
    });
    const backends = async () =>
      Number(
        (
          await service.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'widget-pool'",
          )
        ).rows[0]?.n,
      );
    try {
      // Six slow statements at once: only two connections carry them.
      let peak = 0;
      const sampling = setInterval(() => void backends().then((n) => (peak = Math.max(peak, n))), 20);
      await Promise.all(Array.from({ length: 6 }, () => resources.pool.query("SELECT pg_sleep(0.15)")));
      clearInterval(sampling);
      assert.equal(peak, 2, "two connections, not the 20 the service asked for");
      await waitFor(async () => (await backends()) === 0, "idle connections closed after 300 ms");
    } finally {
      await resources.close();
    }
  });

  it("without the kit tables: opens no bus even when one is configured, and warns about none", async () => {
    const { logger, warnings } = recordingLogger();
    const plain = await createTestDatabase();
    // The launcher gives every service BUS_DATABASE_URL; without an outbox there is nothing to relay.
    const config = { DATABASE_URL: plain.url, BUS_DATABASE_URL: busDb.url, LOG_LEVEL: "info" as const };
    const resources = await openServiceResources<WidgetDb>({
      name: "plain",
      config,
      kitTables: false,
      migrationsDir,
      logger,
    });
    try {
      assert.equal(resources.bus, undefined);
      assert.equal(resources.relay, undefined);
      assert.equal(
        await resources.startConsumers(() => assert.fail("no consumers without a bus")),
        undefined,
      );
      assert.deepEqual(warnings(), []);
      const { rows } = await resources.pool.query<{ outbox: string | null; widgets: string | null }>(
        "SELECT to_regclass('kit_outbox')::text AS outbox, to_regclass('widgets')::text AS widgets",
      );
      assert.deepEqual(rows[0], { outbox: null, widgets: "widgets" });
    } finally {
      await resources.close();
      await plain.drop();
    }
  });

  it("refuses to start with the default bus unset, unless EVENT_BUS=none is named", async () => {
    const { logger } = recordingLogger();
    await assert.rejects(
      openServiceResources<WidgetDb>({
        name: "widget",
        config: {
          DATABASE_URL: service.url,
          EVENT_BUS: "postgres",
          NATS_URL: "nats://x:1",
          LOG_LEVEL: "info",
        },
        migrationsDir,
        logger,
      }),
      (error: Error) => {
        assert.equal(error.name, "ConfigError");
        assert.match(error.message, /BUS_DATABASE_URL: is required.*EVENT_BUS=none/);
        return true;
      },
    );
  });

  it("refuses to start when the named bus is unreachable", async () => {
    const { logger } = recordingLogger();
    await assert.rejects(
      openServiceResources<WidgetDb>({
        name: "widget",
        config: {
          DATABASE_URL: service.url,
          EVENT_BUS: "nats",
          NATS_URL: "nats://127.0.0.1:1",
          LOG_LEVEL: "info",
        },
        migrationsDir,
        logger,
      }),
    );
  });

  it("with EVENT_BUS=none: warns once, keeps events in the outbox, shows the backlog and registers no consumers", async () => {
    const { logger, warnings } = recordingLogger();
    const resources = await openServiceResources<WidgetDb>({
      name: "widget-none",
      config: { DATABASE_URL: service.url, EVENT_BUS: "none", NATS_URL: "nats://x:1", LOG_LEVEL: "info" },
      migrationsDir,
      logger,
      outboxMonitorIntervalMs: 20,
    });
    try {
      assert.equal(resources.bus, undefined);
      assert.equal(resources.relay, undefined);
      let subscribed = false;
      const consumers = await resources.startConsumers(() => {
        subscribed = true;
      });
      assert.equal(consumers, undefined);
      assert.equal(subscribed, false);
      assert.equal(warnings().length, 1);
      assert.match(warnings()[0] ?? "", /EVENT_BUS=none: widget-none publishes nothing/);

      await transaction(resources.db, (trx) =>
        createOutbox("widget").add(trx, [
          { type: "toko.widget.v1.WidgetMade", subject: "stuck", payload: new Uint8Array() },
        ]),
      );
      const gauge = async (metric: string) =>
        (await metricsRegistry.getSingleMetric(metric)?.get())?.values.find(
          (v) => v.labels.service === "widget-none",
        )?.value;
      const pending = await service.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM kit_outbox WHERE delivered_at IS NULL",
      );
      await waitFor(
        async () => (await gauge("toko_outbox_pending_events")) === pending.rows[0]?.n,
        "the backlog gauge counting the undelivered rows",
      );
      await waitFor(async () => ((await gauge("toko_outbox_lag_seconds")) ?? 0) > 0, "the backlog age");
      // Already-applied migrations are skipped on a second open.
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM toko_migrations WHERE name = '0001_widgets.sql'`.execute(
        resources.db,
      );
      assert.equal(rows[0]?.n, 1);
    } finally {
      await resources.close();
    }
  });
});
