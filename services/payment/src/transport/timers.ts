import type { TimerHandler, TimerTuning } from "@toko/kit";
import type { PaymentDeps } from "../application/deps.ts";
import { expirePayment } from "../application/expiry.ts";
import { paymentTx, TIMER_KINDS } from "../infrastructure/pg-payment-tx.ts";
import { SANDBOX_DELIVERY_TIMER } from "../infrastructure/sandbox/delivery-timer.ts";
import type { PaymentDatabase } from "../infrastructure/schema.ts";
import { outboxEvents } from "./payment-events.ts";

/**
 * The service's durable timers, run by the kit's timer runner. A payment's expiry runs in the
 * timer's own transaction (database only): the status change and PaymentExpired commit together
 * with the timer's deletion. A sandbox delivery calls out over HTTP, so it is a `TimerCall`: no
 * transaction is open during the call.
 */
export function paymentTimers(
  deps: PaymentDeps,
  maxSleepMs: number,
  sandboxDelivery?: TimerHandler<PaymentDatabase>,
): TimerTuning<PaymentDatabase> {
  const handlers: Record<string, TimerHandler<PaymentDatabase>> = {
    [TIMER_KINDS.expire]: async (timer, trx) => {
      const id = (timer.payload as { paymentId?: unknown } | null)?.paymentId;
      if (typeof id !== "string") return;
      const now = new Date(Math.max(deps.clock.now().getTime(), timer.dueAt.getTime()));
      const tx = paymentTx(trx, outboxEvents);
      await expirePayment(tx, id, now);
      await tx.flush();
    },
  };
  if (sandboxDelivery) handlers[SANDBOX_DELIVERY_TIMER] = sandboxDelivery;
  return { maxSleepMs, handlers };
}
