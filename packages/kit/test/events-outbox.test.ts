import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase, waitFor } from "@toko/testing";
import { pino } from "pino";
import {
  createDb,
  createOutbox,
  decodeEnvelope,
  type EventBus,
  type EventEnvelope,
  type Kysely,
  kitMigrations,
  migrate,
  sql,
  startRelay,
  transaction,
  uuidv7,
} from "../src/index.ts";

/** A bus that records what it is given and can be switched off, to watch the relay alone. */
class RecordingBus implements Pick<EventBus, "publish" | "kind"> {
  readonly kind = "recording";
  readonly received: EventEnvelope[] = [];
  down = false;
  failedCalls = 0;
  async publish(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (this.down) {
      this.failedCalls++;
      throw new Error("bus unavailable");
    }
    this.received.push(...envelopes);
  }
}

const logger = pino({ level: "silent" });
const outbox = createOutbox("kittest");

describe("outbox", () => {
  let db: TestDatabase;
  let kysely: Kysely<unknown>;
  before(async () => {
    db = await createTestDatabase();
    await migrate(db.pool, kitMigrations);
    await db.pool.query("CREATE TABLE things (id text PRIMARY KEY)");
    kysely = createDb(db.pool);
  });
  after(async () => {
    // Kysely's destroy() would end the pool that drop() ends.
    await db.drop();
  });

  const pendingCount = async () =>
    (await db.pool.query("SELECT count(*)::int AS n FROM kit_outbox WHERE delivered_at IS NULL")).rows[0].n;

  it("writes no event when the transaction rolls back", async () => {
    const before = (await db.pool.query("SELECT count(*)::int AS n FROM kit_outbox")).rows[0].n;
    await assert.rejects(
      transaction(kysely, async (trx) => {
        await sql`INSERT INTO things (id) VALUES ('a')`.execute(trx);
        await outbox.add(trx, [
          { type: "toko.kittest.v1.ThingMade", subject: "a", payload: new Uint8Array([1]) },
        ]);
        throw new Error("changed my mind");
      }),
      /changed my mind/,
    );
    const after = (await db.pool.query("SELECT count(*)::int AS n FROM kit_outbox")).rows[0].n;
    assert.equal(after, before);
    assert.equal((await db.pool.query("SELECT 1 FROM things WHERE id = 'a'")).rowCount, 0);
  });

  it("rejects a malformed event and writes nothing", async () => {
    await assert.rejects(
      transaction(kysely, (trx) =>
        outbox.add(trx, [{ type: "ThingMade", subject: "a", payload: new Uint8Array() }]),
      ),
      /fully qualified/,
    );
    assert.equal(await pendingCount(), 0);
  });

  it("relays committed events in order, retrying while the bus is down, and marks them delivered", async () => {
    const bus = new RecordingBus();
    bus.down = true;
    const relay = startRelay({ pool: db.pool, bus, logger, batchSize: 7, retryMinMs: 10, retryMaxMs: 50 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const [e] = await transaction(kysely, async (trx) => {
          await sql`INSERT INTO things (id) VALUES (${`t${i}`})`.execute(trx);
          return outbox.add(trx, [
            { type: "toko.kittest.v1.ThingMade", subject: `s${i % 3}`, payload: Buffer.from(`p${i}`) },
          ]);
        });
        ids.push(e!.id);
      }
      await waitFor(() => bus.failedCalls >= 3, "failed publishes while the bus is down");
      assert.equal(bus.received.length, 0);
      assert.equal(await pendingCount(), 30);
      bus.down = false;
      await waitFor(async () => (await pendingCount()) === 0, "every row delivered");
      assert.deepEqual(
        bus.received.map((e) => e.id),
        ids,
      );
      const first = bus.received[0]!;
      assert.equal(first.source, "kittest");
      assert.equal(first.subject, "s0");
      assert.equal(Buffer.from(first.payload).toString(), "p0");
      const stored = await db.pool.query("SELECT envelope FROM kit_outbox WHERE event_id = $1", [ids[5]]);
      assert.equal(decodeEnvelope(stored.rows[0].envelope).subject, "s2");
    } finally {
      await relay.stop();
    }
  });

  it("prunes delivered rows older than the retention", async () => {
    await db.pool.query(
      "INSERT INTO kit_outbox (event_id, type, subject, envelope, delivered_at) VALUES ($1, 't', 's', '\\x00', now() - interval '2 hours')",
      [uuidv7()],
    );
    const bus = new RecordingBus();
    const relay = startRelay({ pool: db.pool, bus, logger, retentionMs: 3600_000, pruneIntervalMs: 0 });
    try {
      await waitFor(
        async () =>
          (await db.pool.query("SELECT 1 FROM kit_outbox WHERE delivered_at < now() - interval '1 hour'"))
            .rowCount === 0,
        "old delivered rows pruned",
      );
      // Recently delivered rows are kept.
      assert.ok((await db.pool.query("SELECT count(*)::int AS n FROM kit_outbox")).rows[0].n >= 30);
    } finally {
      await relay.stop();
    }
  });
});
