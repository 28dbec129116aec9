import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import {
  cancelTimer,
  createDeadLetterStore,
  scheduleTimer,
  sql,
  startTimerRunner,
  transaction,
} from "../src/index.ts";
import { kill9, startFixture, terminate } from "./events-support/child.ts";
import { createServiceDb, logger, type ServiceDb } from "./events-support/service-db.ts";
import { sleep, until } from "./events-support/wait.ts";

describe("durable timers", () => {
  let service: ServiceDb;
  const children: ChildProcess[] = [];
  before(async () => {
    service = await createServiceDb();
    await service.pool.query(
      "CREATE TABLE fired (n bigserial PRIMARY KEY, key text NOT NULL, replica text NOT NULL, payload jsonb)",
    );
  });
  after(async () => {
    for (const c of children) await terminate(c);
    await service?.drop();
  });
  const firedCount = async (where = "true", params: unknown[] = []) =>
    (await service.pool.query(`SELECT count(*)::int AS n FROM fired WHERE ${where}`, params)).rows[0]
      .n as number;

  it("does not keep a timer scheduled in a rolled-back transaction, and rejects an invalid one", async () => {
    await assert.rejects(
      transaction(service.db, async (trx) => {
        await scheduleTimer(trx, { kind: "kittest.fire", key: "rolled-back", at: new Date() });
        throw new Error("abort");
      }),
      /abort/,
    );
    await assert.rejects(
      transaction(service.db, (trx) =>
        scheduleTimer(trx, { kind: "kittest.fire", key: "x", at: new Date("nope") }),
      ),
      /invalid time/,
    );
    const { rowCount } = await service.pool.query("SELECT 1 FROM kit_timers");
    assert.equal(rowCount, 0);
  });

  it("fires after a restart, once per (kind, key) across two replicas, and not when cancelled", async () => {
    const at = new Date(Date.now() + 1_500);
    await transaction(service.db, async (trx) => {
      for (let i = 0; i < 20; i++) {
        await scheduleTimer(trx, { kind: "kittest.fire", key: `k${i}`, at, payload: { i } });
      }
      // Rescheduling replaces: k0 keeps one timer, with the later payload.
      await scheduleTimer(trx, { kind: "kittest.fire", key: "k0", at, payload: { i: 100 } });
    });
    await transaction(service.db, async (trx) => {
      assert.equal(await cancelTimer(trx, "kittest.fire", "k19"), true);
      assert.equal(await cancelTimer(trx, "kittest.fire", "nope"), false);
    });
    const env = { SERVICE_DB_URL: service.url };
    // A runner killed before the timers are due: they must survive it.
    const doomed = await startFixture("timer-runner.ts", { ...env, REPLICA: "doomed" });
    await kill9(doomed);
    for (const replica of ["a", "b"])
      children.push(await startFixture("timer-runner.ts", { ...env, REPLICA: replica }));
    await until(async () => (await firedCount()) >= 19, "19 timers to fire");
    // Give a double fire every chance to show up before counting.
    await sleep(1_500);
    assert.equal(await firedCount(), 19);
    assert.equal((await service.pool.query("SELECT DISTINCT key FROM fired")).rowCount, 19);
    assert.equal(await firedCount("key = 'k19'"), 0);
    assert.deepEqual(
      (await service.pool.query("SELECT payload FROM fired WHERE key = 'k0'")).rows[0].payload,
      { i: 100 },
    );
    assert.equal((await service.pool.query("SELECT 1 FROM kit_timers")).rowCount, 0);
  });

  it("retries a failing handler later and keeps a timer the handler rescheduled", async () => {
    let failures = 0;
    const runner = startTimerRunner({
      db: service.db,
      pool: service.pool,
      logger,
      retryMinMs: 50,
      retryMaxMs: 100,
      handlers: {
        "kittest.flaky": async (timer, trx) => {
          if (failures++ < 2) throw new Error("not yet");
          await sql`INSERT INTO fired (key, replica) VALUES (${timer.key}, ${`attempt-${timer.attempt}`})`.execute(
            trx,
          );
        },
        "kittest.repeat": async (timer, trx) => {
          await sql`INSERT INTO fired (key, replica) VALUES (${timer.key}, 'repeat')`.execute(trx);
          if (timer.payload === "again") {
            await scheduleTimer(trx, {
              kind: "kittest.repeat",
              key: timer.key,
              at: new Date(),
              payload: "done",
            });
          }
        },
      },
    });
    try {
      await transaction(service.db, async (trx) => {
        await scheduleTimer(trx, { kind: "kittest.flaky", key: "f1", at: new Date() });
        await scheduleTimer(trx, { kind: "kittest.repeat", key: "r1", at: new Date(), payload: "again" });
      });
      await until(async () => (await firedCount("key = 'f1'")) === 1, "the flaky timer to succeed");
      assert.equal(await firedCount("key = 'f1' AND replica = 'attempt-3'"), 1);
      await until(async () => (await firedCount("key = 'r1'")) === 2, "the rescheduled timer to fire again");
      await until(
        async () => (await service.pool.query("SELECT 1 FROM kit_timers")).rowCount === 0,
        "no timers left",
      );
    } finally {
      await runner.stop();
    }
  });

  it("moves a timer that fails maxAttempts times to the dead letters, and fires it again when redriven", async () => {
    let healthy = false;
    const attempts: number[] = [];
    const runner = startTimerRunner({
      db: service.db,
      pool: service.pool,
      logger,
      retryMinMs: 10,
      retryMaxMs: 20,
      maxAttempts: 3,
      redrivePollMs: 100,
      handlers: {
        "kittest.doomed": async (timer, trx) => {
          attempts.push(timer.attempt);
          if (!healthy) throw new Error("the courier API is down");
          await sql`INSERT INTO fired (key, replica, payload) VALUES (${timer.key}, 'redriven', ${JSON.stringify(timer.payload)})`.execute(
            trx,
          );
        },
      },
    });
    const letters = createDeadLetterStore(service.pool);
    try {
      await transaction(service.db, (trx) =>
        scheduleTimer(trx, { kind: "kittest.doomed", key: "d1", at: new Date(), payload: { parcel: 7 } }),
      );
      let listed: Awaited<ReturnType<typeof letters.list>>["items"] = [];
      await until(async () => {
        listed = (await letters.list({ group: "timer:kittest.doomed" })).items;
        return listed.length === 1;
      }, "the timer in the dead letters");
      assert.deepEqual(attempts, [1, 2, 3]);
      const letter = listed[0];
      assert.equal(letter?.type, "kittest.doomed");
      assert.equal(letter?.subject, "d1");
      assert.equal(letter?.attempts, 3);
      assert.match(letter?.error ?? "", /the courier API is down/);
      assert.equal(letter?.status, "dead");
      assert.equal((await service.pool.query("SELECT 1 FROM kit_timers WHERE key = 'd1'")).rowCount, 0);

      healthy = true;
      await letters.redrive(letter?.id as number);
      await until(async () => (await firedCount("key = 'd1'")) === 1, "the redriven timer to fire");
      assert.deepEqual(
        (await service.pool.query("SELECT payload FROM fired WHERE key = 'd1'")).rows[0].payload,
        { parcel: 7 },
      );
      assert.equal(attempts.at(-1), 1, "a redriven timer starts its attempts afresh");
      assert.equal((await letters.list({ group: "timer:kittest.doomed" })).items.length, 0);
    } finally {
      await runner.stop();
    }
  });

  it("claims due timers in batches and fires each once across concurrent runners", async () => {
    const fired = new Map<string, number>();
    let inFlight = 0;
    let mostAtOnce = 0;
    const handler = async (timer: { key: string }) => {
      inFlight++;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      await sleep(20);
      fired.set(timer.key, (fired.get(timer.key) ?? 0) + 1);
      inFlight--;
    };
    const runners = ["a", "b", "c"].map(() =>
      startTimerRunner({
        db: service.db,
        pool: service.pool,
        logger,
        batchSize: 8,
        concurrency: 8,
        handlers: { "kittest.batch": { remote: handler } },
      }),
    );
    try {
      await transaction(service.db, async (trx) => {
        for (let i = 0; i < 60; i++)
          await scheduleTimer(trx, { kind: "kittest.batch", key: `b${i}`, at: new Date() });
      });
      await until(
        async () =>
          (await service.pool.query("SELECT 1 FROM kit_timers WHERE kind = 'kittest.batch'")).rowCount === 0,
        "every batch timer done",
      );
      assert.equal(fired.size, 60);
      assert.deepEqual(new Set(fired.values()), new Set([1]));
      // One runner worked on a whole claimed batch at once: the timers came in one claim, not one by one.
      assert.ok(mostAtOnce > 3, `at most ${mostAtOnce} timers ran at once`);
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
  });

  it("runs a timer's remote work with no transaction open, then records its result with the completion", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calling = false;
    const runner = startTimerRunner({
      db: service.db,
      pool: service.pool,
      logger,
      handlers: {
        "kittest.remote": {
          remote: async (timer) => {
            calling = true;
            await gate; // a slow call to another service
            return `receipt-${timer.key}`;
          },
          record: async (timer, receipt, trx) => {
            await sql`INSERT INTO fired (key, replica) VALUES (${timer.key}, ${receipt})`.execute(trx);
          },
        },
      },
    });
    try {
      await transaction(service.db, (trx) =>
        scheduleTimer(trx, { kind: "kittest.remote", key: "r9", at: new Date() }),
      );
      await until(() => calling, "the remote call to start");
      await sleep(200);
      const { rows } = await service.pool.query<{ state: string; query: string }>(
        `SELECT state, query FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
      );
      assert.deepEqual(rows, [], "no session sits in an open transaction during the call");
      // The timer is claimed meanwhile: no other runner takes it.
      const claimed = await service.pool.query(
        "SELECT 1 FROM kit_timers WHERE key = 'r9' AND claim IS NOT NULL AND due_at > now()",
      );
      assert.equal(claimed.rowCount, 1);
      release();
      await until(
        async () => (await firedCount("key = 'r9' AND replica = 'receipt-r9'")) === 1,
        "the result recorded",
      );
      await until(
        async () => (await service.pool.query("SELECT 1 FROM kit_timers WHERE key = 'r9'")).rowCount === 0,
        "the timer completed",
      );
    } finally {
      release();
      await runner.stop();
    }
  });
});
