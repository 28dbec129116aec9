import { DomainError } from "@toko/kit";
import { applyProviderFailure, applyProviderSuccess } from "./capture.ts";
import type { PaymentDeps } from "./deps.ts";

/**
 * Handles a provider's webhook as received. Verification (signature over the raw body and
 * timestamp, freshness) happens before any database work; a signature seen before is a replay
 * and refused with nothing written. A notification id seen before is acknowledged as a
 * duplicate and changes nothing; otherwise its effect, the ledger and the event commit in one
 * transaction with the notification's record, under the payment's row lock.
 */
export async function receiveNotification(
  deps: PaymentDeps,
  provider: string,
  rawBody: Buffer,
  headers: Record<string, string>,
): Promise<{ duplicate: boolean }> {
  if (provider !== deps.provider.name) {
    throw new DomainError("not_found", "UNKNOWN_PROVIDER", `no payment provider named ${provider}`);
  }
  const notification = deps.provider.verify(headers, rawBody, deps.clock.now());
  return deps.uow.run(async (tx) => {
    if (!(await tx.notifications.rememberSignature(notification.signature))) {
      throw new DomainError(
        "unauthenticated",
        "WEBHOOK_REJECTED",
        "this signed request was already received",
      );
    }
    // Lock first: notifications of one payment are handled one at a time.
    const payment = await tx.payments.lock(notification.paymentId);
    if (!(await tx.notifications.insert(notification))) return { duplicate: true };
    const outcome = !payment
      ? "unknown_payment"
      : notification.event === "success"
        ? await applyProviderSuccess(deps, tx, payment, notification.id, notification.amount)
        : await applyProviderFailure(deps, tx, payment);
    await tx.notifications.setOutcome(notification.provider, notification.id, outcome);
    return { duplicate: false };
  });
}
