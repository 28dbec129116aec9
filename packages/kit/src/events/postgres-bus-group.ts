import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { ConsumeOptions } from "./bus.ts";
import { decodeEnvelope } from "./envelope.ts";
import { eventMetrics } from "./metrics.ts";
import { Wake } from "./wake.ts";

export interface GroupSettings {
  leaseMs: number;
  pollIntervalMs: number;
  batchSize: number;
  partitions: number;
}

export interface GroupConsumer {
  wake(partitions: number[]): void;
  stop(): Promise<void>;
}

interface Worker {
  /** New events (NOTIFY) or a reason to stop. */
  wake: Wake;
  /** Only a reason to stop: retry delays wait on this so NOTIFYs do not cut them short. */
  halt: Wake;
  /** Cleared when the partition must be given up (rebalance, lost lease, stop). */
  active: boolean;
  done: Promise<void>;
}

/**
 * One replica of a consumer group on the PostgreSQL bus. Replicas heartbeat a membership row;
 * partition p belongs to the (p mod n)-th live member, held by a lease renewed with each
 * heartbeat. A crashed replica stops renewing, so its partitions pass to the others after
 * `leaseMs`. Each held partition is read in seq order and its offset committed after handling.
 */
export async function startGroupConsumer(
  pool: pg.Pool,
  options: ConsumeOptions,
  settings: GroupSettings,
): Promise<GroupConsumer> {
  const { group, types, handler, batchHandler, retryDelayMs } = options;
  const member = randomUUID();
  const workers = new Map<number, Worker>();
  const leaseSecs = settings.leaseMs / 1000;
  let stopped = false;
  const heartbeatWake = new Wake();

  await pool.query(
    `INSERT INTO kit_bus_offsets (group_name, partition)
     SELECT $1, p FROM generate_series(0, $2 - 1) AS p ON CONFLICT DO NOTHING`,
    [group, settings.partitions],
  );

  const heartbeat = async (): Promise<void> => {
    await pool.query(
      `INSERT INTO kit_bus_members (group_name, member_id, seen_until)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (group_name, member_id) DO UPDATE SET seen_until = excluded.seen_until`,
      [group, member, leaseSecs],
    );
    await pool.query("DELETE FROM kit_bus_members WHERE group_name = $1 AND seen_until < now()", [group]);
    const { rows: members } = await pool.query<{ member_id: string }>(
      "SELECT member_id FROM kit_bus_members WHERE group_name = $1 ORDER BY member_id",
      [group],
    );
    const index = members.findIndex((m) => m.member_id === member);
    const n = members.length;
    const desired: number[] = [];
    for (let p = 0; p < settings.partitions; p++) if (index >= 0 && p % n === index) desired.push(p);
    // Give up partitions that are no longer ours; their workers release the lease when idle.
    for (const [p, w] of workers) {
      if (!desired.includes(p)) deactivate(w);
    }
    // Claim (or renew) the desired partitions that are free, expired or already ours.
    const { rows } = await pool.query<{ partition: number; committed: number }>(
      `UPDATE kit_bus_offsets SET owner = $2, lease_until = now() + make_interval(secs => $3)
        WHERE group_name = $1 AND partition = ANY($4::int[])
          AND (owner IS NULL OR owner = $2 OR lease_until < now())
        RETURNING partition, committed`,
      [group, member, leaseSecs, desired],
    );
    const held = new Set(rows.map((r) => r.partition));
    for (const [p, w] of workers) if (!held.has(p)) deactivate(w); // lease lost
    for (const r of rows) {
      if (!workers.has(r.partition) && !stopped) startWorker(r.partition, r.committed);
    }
    // Lag: log positions past the group's committed offsets (over every replica's partitions).
    const lag = await pool.query<{ n: number }>(
      `SELECT coalesce(sum(p.head - o.committed), 0)::int AS n
         FROM kit_bus_offsets o JOIN kit_bus_partitions p ON p.partition = o.partition
        WHERE o.group_name = $1`,
      [group],
    );
    eventMetrics.consumerLag.set({ group }, lag.rows[0]?.n ?? 0);
  };

  const deactivate = (w: Worker): void => {
    w.active = false;
    w.wake.wake();
    w.halt.wake();
  };

  const startWorker = (partition: number, committed: number): void => {
    const worker: Worker = { wake: new Wake(), halt: new Wake(), active: true, done: Promise.resolve() };
    workers.set(partition, worker);
    worker.done = runPartition(partition, committed, worker).finally(async () => {
      workers.delete(partition);
      await pool
        .query(
          "UPDATE kit_bus_offsets SET owner = NULL, lease_until = NULL WHERE group_name = $1 AND partition = $2 AND owner = $3",
          [group, partition, member],
        )
        .catch(() => {});
    });
  };

  const commit = (partition: number, offset: number) =>
    pool.query(
      "UPDATE kit_bus_offsets SET committed = $4 WHERE group_name = $1 AND partition = $2 AND owner = $3",
      [group, partition, member, offset],
    );

  const runPartition = async (partition: number, start: number, w: Worker): Promise<void> => {
    let offset = start;
    while (w.active && !stopped) {
      let rows: { head: number; seq: number | null; envelope: Buffer | null }[];
      try {
        // One statement, one snapshot: the head and the rows below it are consistent, so the
        // offset can jump to the head past events of types this group does not want.
        ({ rows } = await pool.query(
          `SELECT h.head, e.seq, e.envelope FROM kit_bus_partitions h
             LEFT JOIN LATERAL (
               SELECT seq, envelope FROM kit_bus_events
                WHERE partition = h.partition AND seq > $2 AND seq <= h.head AND type = ANY($3::text[])
                ORDER BY seq LIMIT $4) e ON true
            WHERE h.partition = $1`,
          [partition, offset, types, settings.batchSize],
        ));
      } catch {
        await w.wake.wait(settings.pollIntervalMs);
        continue;
      }
      const head = rows[0]?.head ?? offset;
      const events = rows
        .filter((r) => r.seq !== null)
        .map((r) => ({ seq: r.seq as number, envelope: decodeEnvelope(r.envelope as Buffer) }));
      let next = offset;
      let pending = events;
      if (batchHandler && events.length > 1 && w.active && !stopped) {
        try {
          await batchHandler(events.map((e) => ({ envelope: e.envelope, attempt: 1 })));
          next = events.at(-1)?.seq ?? next;
          pending = [];
        } catch {
          // One by one below: each event's own retries and dead letter.
        }
      }
      for (const row of pending) {
        const envelope = row.envelope;
        for (let attempt = 1; ; attempt++) {
          if (!w.active || stopped) break;
          try {
            await handler({ envelope, attempt });
            next = row.seq;
            break;
          } catch {
            if (next > offset) {
              await commit(partition, next).catch(() => {});
              offset = next;
            }
            await w.halt.wait(retryDelayMs(attempt));
          }
        }
        if (next !== row.seq) break; // stopped or lost the partition before handling it
      }
      if (events.length < settings.batchSize && next === (events.at(-1)?.seq ?? offset)) next = head;
      if (next > offset) {
        try {
          await commit(partition, next);
          offset = next;
        } catch {
          // Not committed: the events are delivered again, and the inbox makes that harmless.
        }
      }
      if (events.length < settings.batchSize) await w.wake.wait(settings.pollIntervalMs);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await heartbeat();
      } catch {
        // The bus database is unreachable; keep workers going until their leases lapse.
      }
      await heartbeatWake.wait(settings.leaseMs / 3);
    }
  })();

  return {
    wake(partitions) {
      for (const p of partitions) workers.get(p)?.wake.wake();
    },
    async stop() {
      stopped = true;
      heartbeatWake.wake();
      await loop;
      for (const w of workers.values()) deactivate(w);
      await Promise.all([...workers.values()].map((w) => w.done));
      await pool
        .query("DELETE FROM kit_bus_members WHERE group_name = $1 AND member_id = $2", [group, member])
        .catch(() => {});
    },
  };
}
