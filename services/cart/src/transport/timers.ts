import type { TimerTuning } from "@toko/kit";
import type { CartDeps } from "../application/ports.ts";
import { prune } from "../application/prune.ts";
import { cartTx, PRUNE_TIMER } from "../infrastructure/pg-cart-tx.ts";
import type { CartDatabase } from "../infrastructure/schema.ts";

/**
 * The prune as a kit durable timer that reschedules itself in its own transaction: one run at a
 * time across replicas, and a crash mid-run leaves it due (it runs again after restart).
 */
export function cartTimers(deps: CartDeps): TimerTuning<CartDatabase> {
  return {
    handlers: {
      [PRUNE_TIMER.kind]: (_timer, trx) => prune(cartTx(trx), deps.settings, deps.clock.now()),
    },
  };
}
