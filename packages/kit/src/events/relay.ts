import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import type { EventBus } from "./bus.ts";
import { decodeEnvelope } from "./envelope.ts";
import { eventMetrics } from "./metrics.ts";
import { OUTBOX_CHANNEL } from "./outbox.ts";
import { type Listener, listen } from "./pg-listener.ts";
import { backoff, Wake } from "./wake.ts";

export interface RelayOptions {
  /** Pool on the service's own database (the one holding `kit_outbox`). */
  pool: pg.Pool;
  bus: Pick<EventBus, "publish" | "kind">;
  logger: Logger;
  /** Rows per bus publish; default 500. */
  batchSize?: number;
  /** Look for rows this often even without a NOTIFY; default 1 s. */
  pollIntervalMs?: number;
  /** Keep delivered rows this long before pruning; default 7 days. */
  retentionMs?: number;
  /** Prune this often; default 60 s. */
  pruneIntervalMs?: number;
  /** Retry delays while the bus is down: from `retryMinMs` (100 ms) doubling to `retryMaxMs` (10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** A running relay. */
export interface Relay {
  /** Stops after the batch in flight; undelivered rows wait for the next start. */
  stop(): Promise<void>;
}

// All replicas of a service take this transaction-scoped lock per batch, so one delivers at a
// time and rows leave in id order (per-subject order on the bus follows from that).
const RELAY_LOCK = 727_003;

/** Delivers committed outbox rows to the bus, in order, until stopped. */
export function startRelay(options: RelayOptions): Relay {
  const { pool, bus, logger } = options;
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollIntervalMs ?? 1_000;
  const retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
  const pruneMs = options.pruneIntervalMs ?? 60_000;
  const wake = new Wake();
  let stopped = false;
  let failures = 0;
  let lastPrune = 0;

  const listener: Listener = listen(pool, OUTBOX_CHANNEL, () => wake.wake());

  const deliverBatch = async (): Promise<number> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const lock = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [
        RELAY_LOCK,
      ]);
      if (!lock.rows[0]?.ok) {
        await client.query("ROLLBACK");
        return 0;
      }
      const { rows } = await client.query<{ id: string; envelope: Buffer }>(
        "SELECT id, envelope FROM kit_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT $1",
        [batchSize],
      );
      if (rows.length > 0) {
        await bus.publish(rows.map((r) => decodeEnvelope(r.envelope)));
        await client.query("UPDATE kit_outbox SET delivered_at = now() WHERE id = ANY($1::bigint[])", [
          rows.map((r) => r.id),
        ]);
      }
      await client.query("COMMIT");
      eventMetrics.published.inc({ bus: bus.kind }, rows.length);
      return rows.length;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  // The backlog gauges are kept by the outbox monitor, which runs whether or not a relay does.
  const housekeeping = async (): Promise<void> => {
    const now = Date.now();
    if (now - lastPrune >= pruneMs) {
      lastPrune = now;
      const { rowCount } = await pool.query(
        "DELETE FROM kit_outbox WHERE delivered_at < now() - make_interval(secs => $1)",
        [retentionMs / 1000],
      );
      if (rowCount) logger.debug({ pruned: rowCount }, "outbox: pruned delivered rows");
    }
  };

  const loop = (async () => {
    while (!stopped) {
      let delivered = 0;
      try {
        delivered = await deliverBatch();
        if (failures > 0) logger.info({ failures }, "outbox relay: delivering again");
        failures = 0;
        await housekeeping();
      } catch (error) {
        failures++;
        eventMetrics.relayFailures.inc();
        const delay = backoff(failures, options.retryMinMs ?? 100, options.retryMaxMs ?? 10_000);
        logger.warn({ err: error, failures, retryInMs: delay }, "outbox relay: delivery failed, will retry");
        await sleepUnlessStopped(delay);
        continue;
      }
      // A full batch means more are probably waiting; otherwise sleep until NOTIFY or the poll.
      if (delivered < batchSize) await wake.wait(pollMs);
    }
  })();

  let stopWake: (() => void) | undefined;
  function sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      stopWake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  return {
    async stop() {
      stopped = true;
      wake.wake();
      stopWake?.();
      await loop;
      await listener.stop();
    },
  };
}
