import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEnvelope, type EventBus, type EventConsumers, sql } from "../src/index.ts";
import { type BusFixture, postgresBusFixture } from "./events-support/buses.ts";
import { consumers, createServiceDb, event, type ServiceDb, TYPE_A } from "./events-support/service-db.ts";
import { until } from "./events-support/wait.ts";

/** Batch consumption on the PostgreSQL bus: several events of a partition in one transaction. */
describe("batched consumers: postgres", () => {
  let fixture: BusFixture;
  let service: ServiceDb;
  let publisher: EventBus;
  const running: { consumers: EventConsumers<unknown>; bus: EventBus }[] = [];

  before(async () => {
    fixture = await postgresBusFixture();
    service = await createServiceDb();
    publisher = await fixture.connect();
    await service.pool.query("ALTER TABLE effects ADD COLUMN tx bigint NOT NULL DEFAULT txid_current()");
  });
  after(async () => {
    for (const r of running.splice(0)) {
      await r.consumers.stop();
      await r.bus.close();
    }
    await publisher?.close();
    await service?.drop();
    await fixture?.cleanup();
  });

  /** `n` events on one subject (one partition), published before anyone consumes them. */
  const publish = async (tag: string, n: number, body = (i: number) => `${tag}${i}`) => {
    const envelopes = Array.from({ length: n }, (_, i) => createEnvelope("kittest", event(tag, body(i))));
    await publisher.publish(envelopes);
    return envelopes.map((e) => e.id);
  };
  const start = async (group: string, batch: number, poison = "") => {
    const bus = await fixture.connect();
    const c = consumers(service, bus, { maxAttempts: 2 });
    c.subscribe(
      group,
      [TYPE_A],
      async (e, trx) => {
        const body = Buffer.from(e.payload).toString();
        await sql`INSERT INTO effects (group_name, event_id, subject, body, replica)
          VALUES (${group}, ${e.id}::uuid, ${e.subject}, ${body}, 'r')`.execute(trx);
        if (body === poison) throw new Error("poison event");
      },
      { batch },
    );
    await c.start();
    running.push({ consumers: c, bus });
  };
  /** The effects `group` wrote for the events `ids` (a new group also reads earlier tests' events). */
  const effects = async (group: string, ids: readonly string[]) => {
    const { rows } = await service.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d, count(DISTINCT tx)::int AS txs
         FROM effects WHERE group_name = $1 AND event_id = ANY($2::uuid[])`,
      [group, ids],
    );
    return rows[0] as { n: number; d: number; txs: number };
  };

  it("handles up to `batch` events of a partition per transaction, each with its inbox row", async () => {
    const group = "batch.ok";
    const ids = await publish("ok", 60);
    await start(group, 20);
    await until(async () => (await effects(group, ids)).d === 60, "all 60 handled");
    const e = await effects(group, ids);
    assert.equal(e.n, 60);
    // One page of 60 read at once: three transactions of 20 (one per event without batching).
    assert.equal(e.txs, 3);
    const inbox = await service.pool.query(
      "SELECT count(*)::int AS n FROM kit_inbox WHERE group_name = $1 AND event_id = ANY($2::uuid[])",
      [group, ids],
    );
    assert.equal(inbox.rows[0].n, 60);
  });

  it("falls back to one by one when a batch fails: a poison event is dead-lettered, the rest handled once", async () => {
    const group = "batch.poison";
    const ids = await publish("po", 30, (i) => (i === 10 ? "poison" : `po${i}`));
    await start(group, 50, "poison");
    await until(async () => {
      const { rows } = await service.pool.query(
        "SELECT count(*)::int AS n FROM kit_dead_letters WHERE group_name = $1",
        [group],
      );
      return rows[0].n === 1 && (await effects(group, ids)).d === 29;
    }, "29 handled and the poison event dead-lettered");
    const e = await effects(group, ids);
    // The failed batch and the poison event's attempts were rolled back: no effect twice.
    assert.deepEqual([e.n, e.d], [29, 29]);
    const { rows: dead } = await service.pool.query(
      "SELECT event_id, error FROM kit_dead_letters WHERE group_name = $1",
      [group],
    );
    assert.equal(dead[0].event_id, ids[10]);
    assert.match(dead[0].error, /poison event/);
    const inbox = await service.pool.query(
      "SELECT count(*)::int AS n FROM kit_inbox WHERE group_name = $1 AND event_id = ANY($2::uuid[])",
      [group, ids],
    );
    assert.equal(inbox.rows[0].n, 29);
  });

  it("refuses a batch size that is not a whole number", async () => {
    const bus = await fixture.connect();
    try {
      const c = consumers(service, bus);
      assert.throws(
        () => c.subscribe("batch.bad", [TYPE_A], async () => {}, { batch: 1.5 }),
        /invalid batch size/,
      );
    } finally {
      await bus.close();
    }
  });
});
