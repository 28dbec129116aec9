import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase, waitFor } from "@toko/testing";
import type pg from "pg";
import { createDb, createPool, transaction } from "./database.ts";

interface Schema {
  item: { id: number; n: number };
}

/** A logger that keeps what it is given. */
function recordingLogger() {
  const lines: { obj: { err?: Error; pool?: string }; msg: string }[] = [];
  return { lines, warn: (obj: Record<string, unknown>, msg: string) => void lines.push({ obj, msg }) };
}

describe("pool session timeouts and connection errors", () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const pool = (options: Omit<Parameters<typeof createPool>[0], "url">) => {
    const p = createPool({ url: db.url, ...options });
    pools.push(p);
    return p;
  };
  before(async () => {
    db = await createTestDatabase();
    await db.pool.query("CREATE TABLE item (id int PRIMARY KEY, n int NOT NULL)");
    await db.pool.query("INSERT INTO item VALUES (1, 0)");
  });
  after(async () => {
    for (const p of pools) await p.end().catch(() => {});
    await db.drop();
  });

  it("sets the documented defaults on every session", async () => {
    const p = pool({ max: 1 });
    const { rows } = await p.query<{ s: string; l: string; i: string }>(
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l,
              current_setting('idle_in_transaction_session_timeout') AS i`,
    );
    assert.deepEqual(rows[0], { s: "30s", l: "10s", i: "1min" });
  });

  it("cancels a statement that runs longer than statement_timeout", async () => {
    const p = pool({ max: 1, statementTimeoutMs: 200 });
    await assert.rejects(p.query("SELECT pg_sleep(5)"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "57014");
      assert.match(error.message, /statement timeout/);
      return true;
    });
    // The session is still usable after the cancel.
    assert.equal((await p.query("SELECT 1 AS one")).rows[0].one, 1);
  });

  it("fails a statement that waits for a lock longer than lock_timeout", async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM item WHERE id = 1 FOR UPDATE");
      const p = pool({ max: 1, lockTimeoutMs: 200 });
      await assert.rejects(
        p.query("UPDATE item SET n = n + 1 WHERE id = 1"),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, "55P03");
          assert.match(error.message, /lock timeout/);
          return true;
        },
      );
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });

  it("ends a session left idle inside a transaction, releases its locks and logs it", async () => {
    const logger = recordingLogger();
    const p = pool({ max: 2, idleInTransactionTimeoutMs: 300, logger, applicationName: "idle-test" });
    const kysely = createDb<Schema>(p);
    await assert.rejects(
      transaction(kysely, async (trx) => {
        await trx.updateTable("item").set({ n: 42 }).where("id", "=", 1).execute();
        await sleep(1_000); // a "remote call" made while the transaction is open
        await trx.updateTable("item").set({ n: 43 }).where("id", "=", 1).execute();
      }),
    );
    // The row lock went with the session: another writer gets it at once, and nothing committed.
    const other = pool({ max: 1, lockTimeoutMs: 500 });
    await other.query("UPDATE item SET n = n WHERE id = 1");
    assert.equal((await other.query("SELECT n FROM item WHERE id = 1")).rows[0].n, 0);
    await waitFor(() => logger.lines.length > 0, "the connection error in the log");
    assert.match(String(logger.lines[0]?.obj.err?.message), /idle-in-transaction timeout/);
    assert.equal(logger.lines[0]?.obj.pool, "idle-test");
    // The pool replaced the broken connection.
    assert.equal((await p.query("SELECT 1 AS one")).rows[0].one, 1);
  });

  it("logs an idle connection the server ends instead of swallowing it", async () => {
    const logger = recordingLogger();
    const p = pool({ max: 1, logger, applicationName: "terminated-test" });
    const { rows } = await p.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await db.pool.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
    await waitFor(() => logger.lines.length > 0, "the pool error in the log");
    assert.match(String(logger.lines[0]?.obj.err?.message), /terminat/);
    assert.equal((await p.query("SELECT 1 AS one")).rows[0].one, 1);
  });
});
