import type { CartSettings, CartTx } from "./ports.ts";

/**
 * Deletes idle carts and gives back expired voucher holds, then schedules the next run, all in
 * the timer's transaction (no remote calls).
 */
export async function prune(tx: CartTx, settings: CartSettings, now: Date): Promise<void> {
  const at = now.getTime();
  await tx.carts.pruneIdle(new Date(at - settings.userIdleTtlMs), new Date(at - settings.guestIdleTtlMs));
  await tx.vouchers.pruneHolds(now);
  await tx.timers.prune(new Date(at + settings.pruneIntervalMs));
}
