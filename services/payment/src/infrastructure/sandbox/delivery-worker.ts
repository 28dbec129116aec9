import type { Logger } from "@toko/kit";
import { type Kysely, sql } from "kysely";
import type { PaymentDatabase } from "../schema.ts";
import { signedHeaders } from "./signing.ts";

export interface DeliveryOptions {
  db: Kysely<PaymentDatabase>;
  logger: Logger;
  url: string;
  secret: string;
  timeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** Look for due deliveries at least this often. */
  pollMs: number;
}

interface Due {
  id: number;
  body: string;
  attempts: number;
}

const BATCH = 32;

/** Delay before attempt `attempts + 1`: doubling from `min`, capped at `max`. */
export function retryDelay(attempts: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/**
 * The sandbox's notification sender. Deliveries are rows, so a queued notification survives a
 * crash; a claimed row is leased (its next attempt moved past the request timeout) before the
 * HTTP call, so a crash mid-request means one more attempt later, never none. Each attempt is
 * signed afresh with its own timestamp, as real gateways do; non-2xx or no answer is retried with
 * backoff until `maxAttempts`, then abandoned (and shows up in reconciliation as unpaid).
 */
export function startSandboxDeliveries(options: DeliveryOptions): { wake(): void; stop(): Promise<void> } {
  const { db, logger } = options;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let pending = false;
  const leaseMs = options.timeoutMs * 2 + 1_000;

  const claim = async (): Promise<Due[]> => {
    const { rows } = await sql<Due>`UPDATE sandbox_deliveries
      SET attempts = attempts + 1, next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
      WHERE id IN (SELECT id FROM sandbox_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                   ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING id, body, attempts`.execute(db);
    return rows;
  };

  const deliver = async (due: Due): Promise<void> => {
    const body = Buffer.from(due.body);
    let failure: string;
    try {
      const res = await fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signedHeaders(options.secret, body, new Date()) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) {
        await db
          .updateTable("sandbox_deliveries")
          .set({ status: "delivered", delivered_at: new Date(), last_error: "" })
          .where("id", "=", due.id)
          .execute();
        return;
      }
      failure = `HTTP ${res.status}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const giveUp = due.attempts >= options.maxAttempts;
    const delay = retryDelay(due.attempts, options.retryMinMs, options.retryMaxMs);
    await sql`UPDATE sandbox_deliveries SET last_error = ${failure.slice(0, 500)},
        status = ${giveUp ? "abandoned" : "pending"},
        next_attempt_at = now() + ${delay} * interval '1 millisecond'
      WHERE id = ${due.id}`.execute(db);
    logger.warn(
      { delivery: due.id, attempt: due.attempts, failure, giveUp },
      "sandbox notification not delivered",
    );
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopped) {
      pending = false;
      try {
        const due = await claim();
        if (due.length > 0) {
          await Promise.all(due.map(deliver));
          continue;
        }
      } catch (error) {
        if (stopped) break;
        logger.error({ err: error }, "sandbox delivery loop failed");
      }
      if (!pending && !stopped) await sleep(options.pollMs);
      wakeUp = undefined;
    }
  })();

  return {
    wake() {
      pending = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
