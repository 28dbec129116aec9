import { scheduleTimer } from "@toko/kit";
import type { TimerWriter } from "./pg-catalog-tx.ts";

/**
 * The catalog's timers are the kit's durable timers: a row in `kit_timers` written in the
 * caller's transaction (an existing timer of the same kind and key moves to the new time).
 */
export const kitTimerWriter: TimerWriter = {
  schedule: (trx, kind, key, at, payload) => scheduleTimer(trx, { kind, key, at, payload }),
};
