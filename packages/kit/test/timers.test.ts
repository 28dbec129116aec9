import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { cancelTimer, scheduleTimer, sql, startTimerRunner, transaction } from "../src/index.ts";
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
});
