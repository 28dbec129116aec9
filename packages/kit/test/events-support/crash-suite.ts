import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, afterEach, before, describe, it } from "node:test";
import { type Relay, startRelay } from "../../src/index.ts";
import type { BusFixture } from "./buses.ts";
import { kill9, startFixture, terminate } from "./child.ts";
import { count, createServiceDb, event, logger, publishViaOutbox, type ServiceDb } from "./service-db.ts";
import { until } from "./wait.ts";

/** Consumers as real processes, killed with SIGKILL mid-stream; effects are counted as rows. */
export function crashSuite(
  adapter: string,
  makeFixture: () => Promise<BusFixture>,
  skip: string | false,
): void {
  describe(`consumer crash: ${adapter}`, { skip }, () => {
    let fixture: BusFixture;
    let service: ServiceDb;
    let relay: Relay;
    const children: ChildProcess[] = [];
    const publisherBuses: { close(): Promise<void> }[] = [];

    before(async () => {
      fixture = await makeFixture();
      service = await createServiceDb();
      const bus = await fixture.connect();
      publisherBuses.push(bus);
      relay = startRelay({ pool: service.pool, bus, logger });
    });
    afterEach(async () => {
      for (const c of children.splice(0)) await terminate(c);
    });
    after(async () => {
      await relay?.stop();
      for (const b of publisherBuses) await b.close();
      await service?.drop();
      await fixture?.cleanup();
    });

    const spawnConsumer = async (group: string, replica: string, batch = 0) => {
      const child = await startFixture("consumer.ts", {
        ...fixture.childEnv(),
        SERVICE_DB_URL: service.url,
        GROUP: group,
        REPLICA: replica,
        HANDLER_DELAY_MS: "5",
        BATCH: String(batch),
      });
      children.push(child);
      return child;
    };
    const publish = async (n: number, tag: string) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i += 50) {
        const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) =>
          event(`${tag}-${(i + j) % 10}`, `${tag}${i + j}`),
        );
        ids.push(...(await publishViaOutbox(service.db, batch)));
      }
      return ids;
    };
    const effects = async (group: string, ids: string[]) => {
      const { rows } = await service.pool.query(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM effects
          WHERE group_name = $1 AND event_id = ANY($2::uuid[])`,
        [group, ids],
      );
      return rows[0] as { n: number; d: number };
    };

    it("handles every event exactly once in effect after a SIGKILL and a restart", async () => {
      const group = "crash.single";
      const ids = await publish(300, "k");
      const first = await spawnConsumer(group, "first");
      await until(async () => (await effects(group, ids)).n >= 40, "the consumer to be mid-stream");
      await kill9(first);
      const handledBeforeRestart = (await effects(group, ids)).n;
      assert.ok(handledBeforeRestart < 300, "the kill landed mid-stream");
      await spawnConsumer(group, "second");
      await until(async () => (await effects(group, ids)).d === 300, "all 300 handled after the restart");
      assert.deepEqual(await effects(group, ids), { n: 300, d: 300 });
      // Inbox rows match effects one to one: nothing half-committed.
      const inbox = await service.pool.query(
        "SELECT count(*)::int AS n FROM kit_inbox WHERE group_name = $1 AND event_id = ANY($2::uuid[])",
        [group, ids],
      );
      assert.equal(inbox.rows[0].n, 300);
    });

    it("rolls back a batch cut by a SIGKILL; the restart redelivers it and each event counts once", async () => {
      const group = "crash.batch";
      const ids = await publish(300, "b");
      // 25 events per transaction, each held open 5 ms: a kill lands inside a batch.
      const first = await spawnConsumer(group, "first", 25);
      await until(async () => (await effects(group, ids)).n >= 50, "the consumer to be mid-stream");
      await kill9(first);
      const before = await effects(group, ids);
      assert.ok(before.n < 300, "the kill landed mid-stream");
      // Whole batches only: what committed is a multiple of a batch within each page read.
      assert.equal(before.n, before.d);
      await spawnConsumer(group, "second", 25);
      await until(async () => (await effects(group, ids)).d === 300, "all 300 handled after the restart");
      assert.deepEqual(await effects(group, ids), { n: 300, d: 300 });
      const inbox = await service.pool.query(
        "SELECT count(*)::int AS n FROM kit_inbox WHERE group_name = $1 AND event_id = ANY($2::uuid[])",
        [group, ids],
      );
      assert.equal(inbox.rows[0].n, 300);
    });

    it("lets the surviving replica take over a killed replica's events", async () => {
      const group = "crash.pair";
      const a = await spawnConsumer(group, "a");
      await spawnConsumer(group, "b");
      const ids = await publish(400, "p");
      await until(async () => (await effects(group, ids)).n >= 60, "the pair to be mid-stream");
      await kill9(a);
      await until(async () => (await effects(group, ids)).d === 400, "the survivor to finish all 400");
      assert.deepEqual(await effects(group, ids), { n: 400, d: 400 });
      assert.ok((await count(service, "group_name = $1 AND replica = 'b'", [group])) > 0);
    });
  });
}
