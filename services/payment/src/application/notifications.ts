import { DomainError } from "@toko/kit";
import { applyProviderFailure, applyProviderSuccess } from "./capture.ts";
import type { PaymentDeps } from "./deps.ts";

/**
 * Handles a provider's webhook as received. Verification (signature over the raw body and
 * timestamp, freshness) happens before any database work; a signature seen before is a replay
 * and refused with nothing written. A notification id seen before is acknowledged as a
 * duplicate and changes nothing; otherwise its effect, the ledger and the event commit in one
 * transaction with the notification's record, under the payment's row lock. Two deliveries of
 * one notification racing past the lookup meet at the row lock: the second finds the payment
 * already changed (the rules make every effect happen once) and its record conflicts, so it
 * rolls back and is acknowledged as a duplicate.
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
  try {
    return await deps.uow.run(async (tx) => {
      const admitted = await tx.notifications.admit(notification);
      if (admitted === "replay") {
        throw new DomainError(
          "unauthenticated",
          "WEBHOOK_REJECTED",
          "this signed request was already received",
        );
      }
      if (admitted === "seen") return { duplicate: true };
      // Under the payment's row lock: deliveries of one payment are handled one at a time.
      const payment = await tx.payments.lock(notification.paymentId);
      const outcome = !payment
        ? "unknown_payment"
        : notification.event === "success"
          ? await applyProviderSuccess(deps, tx, payment, notification.id, notification.amount)
          : await applyProviderFailure(deps, tx, payment);
      if (!(await tx.notifications.record(notification, outcome))) throw new ConcurrentDuplicate();
      return { duplicate: false };
    });
  } catch (error) {
    // The same notification committed meanwhile (a concurrent delivery): roll back, acknowledge.
    if (error instanceof ConcurrentDuplicate) return { duplicate: true };
    throw error;
  }
}

class ConcurrentDuplicate extends Error {}
