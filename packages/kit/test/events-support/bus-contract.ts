import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  createDeadLetterStore,
  createEnvelope,
  type EventBus,
  type EventConsumers,
  eventMetrics,
  startRelay,
} from "../../src/index.ts";
import type { BusFixture } from "./buses.ts";
import {
  consumers,
  count,
  createServiceDb,
  event,
  logger,
  publishViaOutbox,
  recordEffect,
  type ServiceDb,
  TYPE_A,
  TYPE_B,
} from "./service-db.ts";
import { startTcpProxy } from "./tcp-proxy.ts";
import { until } from "./wait.ts";

/**
 * The behaviour every bus adapter must have, run against a real server. `skip` is a reason to
 * skip (the NATS half outside CI when no NATS is reachable), or false.
 */
export function busContract(
  adapter: string,
  makeFixture: () => Promise<BusFixture>,
  skip: string | false = false,
): void {
  describe(`event bus contract: ${adapter}`, { skip }, () => {
    let fixture: BusFixture;
    let service: ServiceDb;
    const open: { stop(): Promise<void> }[] = [];
    const buses: EventBus[] = [];

    const connect = async (port?: number) => {
      const bus = await fixture.connect({ port });
      buses.push(bus);
      return bus;
    };
    const run = async (c: EventConsumers<unknown>) => {
      await c.start();
      open.push(c);
      return c;
    };

    before(async () => {
      fixture = await makeFixture();
      service = await createServiceDb();
    });
    // Each test starts its own relays and consumers; none may outlive it (the outbox is shared).
    afterEach(async () => {
      for (const o of open.splice(0).reverse()) await o.stop();
      for (const b of buses.splice(0)) await b.close();
    });
    after(async () => {
      await service?.drop();
      await fixture?.cleanup();
    });

    it("gives every group every event of its types, in order per subject", async () => {
      const bus = await connect();
      for (const group of ["contract.g1", "contract.g2"]) {
        const c = consumers(service, bus);
        c.subscribe(group, [TYPE_A], recordEffect(group, "r1"));
        await run(c);
      }
      open.push(startRelay({ pool: service.pool, bus, logger, batchSize: 25 }));
      const events = Array.from({ length: 80 }, (_, i) => event(`order-${i % 4}`, String(i)));
      // A type nobody here subscribed to must not reach the handlers.
      events.push(event("order-0", "other", TYPE_B));
      await publishViaOutbox(service.db, events.slice(0, 40));
      await publishViaOutbox(service.db, events.slice(40));
      await until(async () => (await count(service, "group_name LIKE 'contract.%'")) === 160, "160 effects");
      for (const group of ["contract.g1", "contract.g2"]) {
        const { rows } = await service.pool.query(
          "SELECT subject, body FROM effects WHERE group_name = $1 ORDER BY n",
          [group],
        );
        assert.equal(rows.length, 80);
        for (let s = 0; s < 4; s++) {
          const bodies = rows.filter((r) => r.subject === `order-${s}`).map((r) => Number(r.body));
          assert.deepEqual(
            bodies,
            bodies.toSorted((a, b) => a - b),
            `${group} order-${s} in order`,
          );
          assert.equal(bodies.length, 20);
        }
      }
      assert.equal(await count(service, "body = 'other'"), 0);
    });

    it("stores an event published twice (same id) once", async () => {
      const bus = await connect();
      const seen: string[] = [];
      const consumption = await bus.consume({
        group: "contract.dedup",
        types: [TYPE_A],
        retryDelayMs: () => 50,
        handler: async ({ envelope }) => {
          seen.push(Buffer.from(envelope.payload).toString());
        },
      });
      open.push(consumption);
      const twice = createEnvelope("kittest", event("dup", "twice"));
      await bus.publish([twice]);
      await bus.publish([twice, createEnvelope("kittest", event("dup", "after"))]);
      await until(() => seen.includes("after"), "the event after the duplicate");
      assert.deepEqual(
        seen.filter((s) => s === "twice"),
        ["twice"],
      );
    });

    it("shares one group's work between two replicas without double effects", async () => {
      const group = "contract.shared";
      for (const replica of ["a", "b"]) {
        const c = consumers(service, await connect());
        c.subscribe(group, [TYPE_A], recordEffect(group, replica));
        await run(c);
      }
      const publisher = await connect();
      open.push(startRelay({ pool: service.pool, bus: publisher, logger }));
      // Keep publishing until both replicas have done some work (a rebalance takes a heartbeat).
      // A new group starts at the oldest retained event, so it also sees earlier tests' events:
      // count only this test's.
      let published = 0;
      const ids: string[] = [];
      const mine = "group_name = $1 AND event_id = ANY($2::uuid[])";
      const bothWorking = async () =>
        (await service.pool.query(`SELECT DISTINCT replica FROM effects WHERE ${mine}`, [group, ids]))
          .rowCount === 2;
      while (!(await bothWorking())) {
        ids.push(
          ...(await publishViaOutbox(
            service.db,
            Array.from({ length: 20 }, (_, i) =>
              event(`shared-${(published + i) % 16}`, `s${published + i}`),
            ),
          )),
        );
        published += 20;
        assert.ok(published < 20_000, "both replicas should get work");
        await new Promise((r) => setTimeout(r, 100));
      }
      await until(async () => (await count(service, mine, [group, ids])) >= published, "all handled");
      const { rows } = await service.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM effects WHERE ${mine}`,
        [group, ids],
      );
      assert.equal(rows[0].n, published);
      assert.equal(rows[0].d, published);
    });

    it("dead-letters a poison event after N attempts and handles it when redriven after a fix", async () => {
      const group = "contract.poison";
      let fixed = false;
      const record = recordEffect(group, "r1");
      const c = consumers(service, await connect(), { maxAttempts: 3 });
      c.subscribe(group, [TYPE_A], async (e, trx) => {
        if (Buffer.from(e.payload).toString() === "poison" && !fixed) throw new Error("cannot digest poison");
        await record(e, trx);
      });
      await run(c);
      const bus = await connect();
      open.push(startRelay({ pool: service.pool, bus, logger }));
      const deadBefore = (await eventMetrics.deadLettered.get()).values.reduce((s, v) => s + v.value, 0);
      const [, poisonId] = await publishViaOutbox(service.db, [
        event("p-1", "p-before"),
        event("p-1", "poison"),
        event("p-1", "p-after"),
      ]);
      const store = createDeadLetterStore(service.pool);
      await until(async () => (await store.list({ group })).items.length === 1, "a dead letter");
      await until(
        async () => (await count(service, "group_name = $1 AND body = 'p-after'", [group])) === 1,
        "later events go on",
      );
      const [letter] = (await store.list({ group })).items;
      assert.ok(letter);
      assert.equal(letter.eventId, poisonId);
      assert.equal(letter.attempts, 3);
      assert.match(letter.error, /cannot digest poison/);
      assert.equal(await count(service, "group_name = $1 AND body = 'poison'", [group]), 0);
      const deadAfter = (await eventMetrics.deadLettered.get()).values.reduce((s, v) => s + v.value, 0);
      assert.equal(deadAfter - deadBefore, 1);

      fixed = true;
      await store.redrive(letter.id);
      await until(async () => (await store.get(letter.id)) === undefined, "the redriven letter to go");
      assert.equal(await count(service, "group_name = $1 AND body = 'poison'", [group]), 1);
      await assert.rejects(store.redrive(letter.id), /not found/);
    });

    it("delivers every event once the bus comes back after being down", async () => {
      const group = "contract.outage";
      const proxy = await startTcpProxy(fixture.serverPort);
      const viaProxy = await connect(proxy.port);
      // Closed after the buses (afterEach closes those after `open`), so they can say goodbye.
      buses.push({ close: () => proxy.close() } as EventBus);
      const c = consumers(service, await connect());
      c.subscribe(group, [TYPE_B], recordEffect(group, "r1"));
      await run(c);
      const failuresBefore = (await eventMetrics.relayFailures.get()).values[0]?.value ?? 0;
      await proxy.down();
      const relay = startRelay({
        pool: service.pool,
        bus: viaProxy,
        logger,
        retryMinMs: 50,
        retryMaxMs: 300,
      });
      open.push(relay);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          ...(await publishViaOutbox(
            service.db,
            Array.from({ length: 10 }, (_, j) => event(`down-${j}`, `d${i * 10 + j}`, TYPE_B)),
          )),
        );
      }
      await until(
        async () => ((await eventMetrics.relayFailures.get()).values[0]?.value ?? 0) >= failuresBefore + 2,
        "the relay to fail while the bus is down",
      );
      const mine = "group_name = $1 AND event_id = ANY($2::uuid[])";
      assert.equal(await count(service, mine, [group, ids]), 0);
      await proxy.up();
      await until(async () => (await count(service, mine, [group, ids])) >= 50, "50 effects after recovery");
      const { rows } = await service.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM effects WHERE ${mine}`,
        [group, ids],
      );
      assert.deepEqual(rows[0], { n: 50, d: 50 });
    });
  });
}
