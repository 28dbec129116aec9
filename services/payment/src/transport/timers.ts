import type { TimerTuning } from "@toko/kit";
import type { PaymentDeps } from "../application/deps.ts";
import { expirePayment } from "../application/expiry.ts";
import { paymentTx, TIMER_KINDS } from "../infrastructure/pg-payment-tx.ts";
import type { PaymentDatabase } from "../infrastructure/schema.ts";
import { outboxEvents } from "./payment-events.ts";

/**
 * The payment's expiry, run by the kit's durable timer runner in the timer's own transaction:
 * the status change and PaymentExpired commit together with the timer's deletion. No remote call.
 */
export function paymentTimers(deps: PaymentDeps, maxSleepMs: number): TimerTuning<PaymentDatabase> {
  return {
    maxSleepMs,
    handlers: {
      [TIMER_KINDS.expire]: async (timer, trx) => {
        const id = (timer.payload as { paymentId?: unknown } | null)?.paymentId;
        if (typeof id !== "string") return;
        const now = new Date(Math.max(deps.clock.now().getTime(), timer.dueAt.getTime()));
        await expirePayment(paymentTx(trx, outboxEvents), id, now);
      },
    },
  };
}
