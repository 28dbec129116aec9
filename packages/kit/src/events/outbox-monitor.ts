import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import { eventMetrics } from "./metrics.ts";
import { repeatEvery } from "./wake.ts";

export interface OutboxMonitorOptions {
  /** Pool on the service's own database (the one holding `kit_outbox`). */
  pool: pg.Pool;
  /** The `service` label of the gauges. */
  service: string;
  logger: Logger;
  /** Measure this often; default 5 s. */
  intervalMs?: number;
}

/** Measures the outbox once: rows not yet relayed and the age of the oldest. */
export async function measureOutbox(
  pool: pg.Pool,
  service: string,
): Promise<{ pending: number; ageSeconds: number }> {
  const { rows } = await pool.query<{ n: number; age: number | null }>(
    `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM kit_outbox WHERE delivered_at IS NULL`,
  );
  const pending = rows[0]?.n ?? 0;
  const ageSeconds = Math.max(0, rows[0]?.age ?? 0);
  eventMetrics.outboxPending.set({ service }, pending);
  eventMetrics.outboxLag.set({ service }, ageSeconds);
  return { pending, ageSeconds };
}

/**
 * Keeps the outbox backlog gauges (`toko_outbox_pending_events`, `toko_outbox_lag_seconds`)
 * current, independently of the relay: a service whose relay is stopped, failing or absent
 * (`EVENT_BUS=none`) still shows its events piling up.
 */
export function startOutboxMonitor(options: OutboxMonitorOptions): { stop(): Promise<void> } {
  const { pool, service, logger } = options;
  let failing = false;
  return repeatEvery(options.intervalMs ?? 5_000, async () => {
    try {
      await measureOutbox(pool, service);
      failing = false;
    } catch (error) {
      // Once per outage: the database being down is reported loudly elsewhere too.
      if (!failing) logger.warn({ err: error }, "outbox monitor: cannot measure the backlog");
      failing = true;
    }
  });
}
