import type { TimerTuning, Transaction } from "@toko/kit";
import { resumeCheckout } from "../application/checkout.ts";
import {
  acceptanceWindowPassed,
  autoComplete,
  commitRecord,
  commitRemote,
  refundIntentOf,
  refundRecord,
  releaseRecord,
  restockIntentOf,
  restockRemote,
  settleCodRemote,
} from "../application/lifecycle.ts";
import type { OrderDeps, OrderEvents } from "../application/ports.ts";
import { orderTx, TIMERS } from "../infrastructure/pg-order-tx.ts";
import type { OrderDatabase } from "../infrastructure/schema.ts";

/**
 * The saga's durable steps. Remote calls run in `remote` with no transaction open (each callee
 * is idempotent per checkout, order or refund id); `record` commits the outcome with the timer's
 * completion. Deadlines without a remote part run in the timer's transaction.
 */
export function orderTimers(
  deps: OrderDeps,
  events: (trx: Transaction<OrderDatabase>) => OrderEvents,
): TimerTuning<OrderDatabase> {
  const tx = (trx: Transaction<OrderDatabase>) => orderTx(trx, events, deps.clock.now);
  return {
    handlers: {
      [TIMERS.resume]: { remote: (t) => resumeCheckout(deps, t.key) },
      [TIMERS.commit]: {
        remote: (t) => commitRemote(deps, t.key),
        record: (t, outcome, trx) => commitRecord(deps, tx(trx), t.key, outcome as "committed" | "released"),
      },
      [TIMERS.release]: {
        remote: (t) => deps.inventory.release(t.key),
        record: (t, _outcome, trx) =>
          releaseRecord(
            deps,
            tx(trx),
            t.key,
            String((t.payload as { reason?: string } | null)?.reason ?? "PAYMENT_EXPIRED"),
          ),
      },
      [TIMERS.acceptBy]: (t, trx) => acceptanceWindowPassed(deps, tx(trx), t.key),
      [TIMERS.completeBy]: (t, trx) => autoComplete(deps, tx(trx), t.key),
      [TIMERS.refund]: {
        remote: (t) =>
          deps.payments.refund(
            String((t.payload as { paymentId?: string }).paymentId ?? ""),
            refundIntentOf(t.payload),
          ),
        record: (t, _r, trx) => refundRecord(deps, tx(trx), refundIntentOf(t.payload)),
      },
      [TIMERS.restock]: { remote: (t) => restockRemote(deps, restockIntentOf(t.payload)) },
      [TIMERS.settleCod]: { remote: (t) => settleCodRemote(deps, t.key) },
    },
  };
}
