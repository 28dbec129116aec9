import { expiresAt } from "../domain/payment.ts";
import type { PaymentTx } from "./ports.ts";

/**
 * Timer handler, in the timer's transaction: a payment still pending at its deadline expires
 * (PaymentExpired). `now` is the later of the clock and the timer's due time, so a clock a
 * little behind the database never skips an expiry.
 */
export async function expirePayment(tx: PaymentTx, paymentId: string, now: Date): Promise<boolean> {
  const payment = await tx.payments.lock(paymentId);
  if (!payment || !expiresAt(payment, now)) return false;
  await tx.payments.update(paymentId, { status: "EXPIRED", statusReason: "expired" });
  await tx.events.expired({ ...payment, status: "EXPIRED", statusReason: "expired" }, now);
  return true;
}
