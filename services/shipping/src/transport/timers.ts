import type { TimerTuning } from "@toko/kit";
import type { ShippingDeps } from "../application/ports.ts";
import { simulateStep } from "../application/simulated-carrier.ts";
import { shippingTx, TIMER_KINDS } from "../infrastructure/pg-shipping-tx.ts";
import type { ShippingDatabase } from "../infrastructure/schema.ts";
import { outboxEvents } from "./shipping-events.ts";

/**
 * The simulated carrier's moves on the kit's durable timers: each runs in the timer's own
 * transaction (the event, the status, ShipmentStatusChanged and the next timer commit with the
 * timer's deletion), so a restart resumes the journey where it stopped. No remote calls.
 */
export function shippingTimers(deps: ShippingDeps): TimerTuning<ShippingDatabase> {
  return {
    handlers: {
      [TIMER_KINDS.simulate]: async (timer, trx) => {
        const step = (timer.payload as { step?: unknown } | null)?.step;
        await simulateStep(
          deps,
          shippingTx(trx, outboxEvents),
          timer.key,
          typeof step === "number" ? step : 0,
        );
      },
    },
  };
}
