import type { TimerTuning } from "@toko/kit";
import type { CatalogDeps } from "../application/deps.ts";
import { applyScheduledPrice } from "../application/pricing.ts";
import { grantSeller } from "../application/shops.ts";
import { kitTimerWriter } from "../infrastructure/kit-timers.ts";
import { catalogTx, TIMER_KINDS } from "../infrastructure/pg-catalog-tx.ts";
import type { ProductDatabase } from "../infrastructure/schema.ts";
import { outboxEvents } from "./product-events.ts";

const payloadField = (payload: unknown, field: string): string => {
  const value = (payload as Record<string, unknown> | null)?.[field];
  return typeof value === "string" ? value : "";
};

/**
 * The catalog's handlers for the kit's durable timer runner: a price schedule starting or
 * ending (repriced in the timer's own transaction, so the new price, its history row and
 * `PriceChanged` commit together with the timer's deletion) and a seller-role grant to retry
 * (a gRPC call to the user service, so `remote` work run with no transaction open; idempotent, so a
 * crash after it only repeats it). Failures retry with backoff, then become dead letters.
 */
export function productTimers(deps: CatalogDeps): TimerTuning<ProductDatabase> {
  return {
    handlers: {
      [TIMER_KINDS.priceCheck]: async (timer, trx) => {
        const tx = catalogTx(trx, outboxEvents, kitTimerWriter);
        await applyScheduledPrice(tx, payloadField(timer.payload, "variantId"), deps.clock.now());
      },
      [TIMER_KINDS.sellerGrant]: {
        remote: (timer) => grantSeller(deps, payloadField(timer.payload, "shopId")),
      },
    },
  };
}
