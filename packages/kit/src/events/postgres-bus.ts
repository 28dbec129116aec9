import type pg from "pg";
import { createPool } from "../db/database.ts";
import { migrate } from "../db/migrations.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import type { ConsumeOptions, Consumption, EventBus } from "./bus.ts";
import { type EventEnvelope, encodeEnvelope } from "./envelope.ts";
import { kitBusMigrations } from "./migrations.ts";
import { listen } from "./pg-listener.ts";
import { startGroupConsumer } from "./postgres-bus-group.ts";
import { startBusRetention } from "./postgres-bus-retention.ts";

/** Fixed by the bus migration (kit_bus_partitions rows 0..15). */
export const BUS_PARTITIONS = 16;
/** NOTIFY channel; the payload lists the partitions that got events. */
export const BUS_CHANNEL = "kit_bus";

export interface PostgresBusOptions {
  /** The shared bus database (`BUS_DATABASE_URL`). */
  url: string;
  /** A replica that stops heartbeating loses its partitions after this long; default 10 s. */
  leaseMs?: number;
  /** Look for events this often even without a NOTIFY; default 1 s. */
  pollIntervalMs?: number;
  /** Events read per partition per query; default 100. */
  batchSize?: number;
  /**
   * Events older than this are pruned from the log, once every registered group has read them
   * (held-back events raise `toko_bus_retention_held_events` and an error log); default 7 days.
   */
  retentionMs?: number;
  /** Prune this often; default 60 s. */
  pruneIntervalMs?: number;
  /** Where pruning and held-back events are reported; default a logger named "toko-bus". */
  logger?: Logger;
  /** Connections to the bus database; default 10. */
  poolSize?: number;
  /** How long an unused connection to the bus database stays open; default 30 s. */
  idleTimeoutMs?: number;
}

/** Partition of a subject: FNV-1a, so every publisher in every language agrees. */
export function partitionOf(subject: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < subject.length; i++) {
    h ^= subject.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUS_PARTITIONS;
}

/**
 * The PostgreSQL event bus: an append-only log partitioned by subject, per-group offsets with
 * leased partitions, LISTEN/NOTIFY wake-ups. Migrates its tables on creation.
 */
export async function createPostgresBus(options: PostgresBusOptions): Promise<EventBus> {
  const logger = options.logger ?? createLogger({ service: "toko-bus" });
  const retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
  const pool = createPool({
    url: options.url,
    max: options.poolSize ?? 10,
    idleTimeoutMs: options.idleTimeoutMs,
    applicationName: "toko-bus",
    logger,
  });
  try {
    await migrate(pool, kitBusMigrations);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const wakers = new Set<(partitions: number[]) => void>();
  const listener = listen(pool, BUS_CHANNEL, (payload) => {
    // An empty payload (reconnect) wakes every partition.
    const partitions =
      payload === "" ? Array.from({ length: BUS_PARTITIONS }, (_, i) => i) : payload.split(",").map(Number);
    for (const w of wakers) w(partitions);
  });
  const consumptions = new Set<Consumption>();
  const retention = startBusRetention({
    pool,
    logger,
    retentionMs,
    intervalMs: options.pruneIntervalMs ?? 60_000,
  });

  return {
    kind: "postgres",
    retentionMs,
    publish: (envelopes) => publish(pool, envelopes),
    async consume(consumeOptions: ConsumeOptions) {
      const group = await startGroupConsumer(pool, consumeOptions, {
        leaseMs: options.leaseMs ?? 10_000,
        pollIntervalMs: options.pollIntervalMs ?? 1_000,
        batchSize: options.batchSize ?? 100,
        partitions: BUS_PARTITIONS,
      });
      wakers.add(group.wake);
      const consumption: Consumption = {
        async stop() {
          wakers.delete(group.wake);
          consumptions.delete(consumption);
          await group.stop();
        },
      };
      consumptions.add(consumption);
      return consumption;
    },
    async close() {
      await Promise.all([...consumptions].map((c) => c.stop()));
      await retention.stop();
      await listener.stop();
      await pool.end();
    },
  };
}

async function publish(pool: pg.Pool, envelopes: readonly EventEnvelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const byPartition = new Map<number, EventEnvelope[]>();
  for (const e of envelopes) {
    const p = partitionOf(e.subject);
    const list = byPartition.get(p) ?? [];
    list.push(e);
    byPartition.set(p, list);
  }
  const partitions = [...byPartition.keys()].sort((a, b) => a - b);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Locking the partition rows (in a fixed order, so publishers never deadlock) serialises
    // appends per partition: seqs become visible in order and a reader never skips one.
    const heads = await client.query<{ partition: number; head: number }>(
      "SELECT partition, head FROM kit_bus_partitions WHERE partition = ANY($1::int[]) ORDER BY partition FOR UPDATE",
      [partitions],
    );
    const cols = { partition: [] as number[], seq: [] as number[], id: [] as string[] };
    const more = {
      type: [] as string[],
      source: [] as string[],
      subject: [] as string[],
      bytes: [] as Buffer[],
    };
    const newHeads: number[] = [];
    for (const { partition, head } of heads.rows) {
      let seq = head;
      for (const e of byPartition.get(partition) ?? []) {
        seq++;
        cols.partition.push(partition);
        cols.seq.push(seq);
        cols.id.push(e.id);
        more.type.push(e.type);
        more.source.push(e.source);
        more.subject.push(e.subject);
        more.bytes.push(encodeEnvelope(e));
      }
      newHeads.push(seq);
    }
    // A re-published event id is skipped; its seq stays a harmless gap.
    await client.query(
      `INSERT INTO kit_bus_events (partition, seq, event_id, type, source, subject, envelope)
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bytea[])
       ON CONFLICT (event_id) DO NOTHING`,
      [cols.partition, cols.seq, cols.id, more.type, more.source, more.subject, more.bytes],
    );
    await client.query(
      `UPDATE kit_bus_partitions p SET head = v.head
         FROM unnest($1::int[], $2::bigint[]) AS v(partition, head) WHERE p.partition = v.partition`,
      [heads.rows.map((r) => r.partition), newHeads],
    );
    await client.query("SELECT pg_notify($1, $2)", [BUS_CHANNEL, partitions.join(",")]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
