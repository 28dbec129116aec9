import { type Logger, scheduleTimer, type TimerCall } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { PaymentDatabase } from "../schema.ts";
import { signedHeaders } from "./signing.ts";

/** The durable timer that posts one queued sandbox notification (key: the delivery's id). */
export const SANDBOX_DELIVERY_TIMER = "sandbox.deliver";

export interface DeliveryOptions {
  db: Kysely<PaymentDatabase>;
  logger: Logger;
  url: string;
  secret: string;
  timeoutMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

/** What one attempt came to; `skipped` when the delivery was no longer pending. */
export type DeliveryOutcome =
  | { kind: "delivered" }
  | { kind: "failed"; failure: string }
  | { kind: "skipped" };

/** Delay before attempt `attempts + 1`: doubling from `min`, capped at `max`. */
export function retryDelay(attempts: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/** Queues the delivery of a notification row in the caller's transaction: its timer fires at once. */
export function scheduleDelivery(
  trx: Transaction<PaymentDatabase>,
  deliveryId: string,
  at: Date,
): Promise<void> {
  return scheduleTimer(trx, { kind: SANDBOX_DELIVERY_TIMER, key: deliveryId, at });
}

/**
 * The sandbox's notification sender, as a durable timer per delivery. The HTTP call runs with no
 * transaction open (`remote`); its outcome is written afterwards in the transaction that completes
 * the timer (`record`), guarded by the row's status so a late or repeated outcome changes nothing
 * once the delivery is settled. Each attempt is signed afresh with its own timestamp, as real
 * gateways do; non-2xx or no answer schedules the next attempt with backoff until `maxAttempts`,
 * then the delivery is abandoned (and shows up in reconciliation as unpaid). A crash during the
 * call leaves the timer claimed; it fires again after its lease: one more attempt, never none.
 */
export function sandboxDeliveryTimer(options: DeliveryOptions): TimerCall<PaymentDatabase, DeliveryOutcome> {
  const { db, logger } = options;
  return {
    async remote(timer) {
      const row = await db
        .selectFrom("sandbox_deliveries")
        .select(["body", "status"])
        .where("id", "=", Number(timer.key))
        .executeTakeFirst();
      if (row?.status !== "pending") return { kind: "skipped" };
      const body = Buffer.from(row.body);
      try {
        const res = await fetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...signedHeaders(options.secret, body, new Date()) },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await res.body?.cancel();
        return res.ok ? { kind: "delivered" } : { kind: "failed", failure: `HTTP ${res.status}` };
      } catch (error) {
        return { kind: "failed", failure: error instanceof Error ? error.message : String(error) };
      }
    },

    async record(timer, outcome, trx) {
      if (outcome.kind === "skipped") return;
      if (outcome.kind === "delivered") {
        await sql`UPDATE sandbox_deliveries
          SET status = 'delivered', delivered_at = now(), last_error = '', attempts = attempts + 1
          WHERE id = ${timer.key} AND status = 'pending'`.execute(trx);
        return;
      }
      const { rows } = await sql<{ attempts: number }>`UPDATE sandbox_deliveries
          SET attempts = attempts + 1, last_error = ${outcome.failure.slice(0, 500)}
          WHERE id = ${timer.key} AND status = 'pending' RETURNING attempts`.execute(trx);
      const attempts = rows[0]?.attempts;
      if (attempts === undefined) return;
      const giveUp = attempts >= options.maxAttempts;
      const delay = retryDelay(attempts, options.retryMinMs, options.retryMaxMs);
      const next = new Date(Date.now() + delay);
      if (giveUp) {
        await sql`UPDATE sandbox_deliveries SET status = 'abandoned' WHERE id = ${timer.key}`.execute(trx);
      } else {
        await sql`UPDATE sandbox_deliveries SET next_attempt_at = ${next} WHERE id = ${timer.key}`.execute(
          trx,
        );
        // A new version of this timer: completing the fired one leaves it in place.
        await scheduleDelivery(trx, timer.key, next);
      }
      logger.warn(
        { delivery: timer.key, attempt: attempts, failure: outcome.failure, giveUp },
        "sandbox notification not delivered",
      );
    },
  };
}
