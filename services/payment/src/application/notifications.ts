import { DomainError, errors } from "@toko/kit";
import { applyProviderFailure, applyProviderSuccess } from "./capture.ts";
import type { PaymentDeps } from "./deps.ts";
import type { NotificationOutcome, VerifiedNotification } from "./model.ts";
import type { PaymentTx } from "./ports.ts";

/** What handling a verified notification came to. */
export type NotificationResult = "handled" | "duplicate" | "replay";

/**
 * Checks a webhook as received before any database work: the provider must exist (NOT_FOUND), the signature
 * over the raw body and timestamp must hold and be fresh (UNAUTHENTICATED WEBHOOK_REJECTED).
 */
export function verifyNotification(
  deps: PaymentDeps,
  provider: string,
  rawBody: Buffer,
  headers: Record<string, string>,
): VerifiedNotification {
  if (provider !== deps.provider.name) {
    throw errors.notFound("payment provider");
  }
  if (rawBody.length === 0) {
    throw new DomainError("unauthenticated", "WEBHOOK_REJECTED", "notification rejected: empty body");
  }
  return deps.provider.verify(headers, rawBody, deps.clock.now());
}

/** The error a replayed signature gets. */
export const replayRejected = () =>
  new DomainError("unauthenticated", "WEBHOOK_REJECTED", "this signed request was already received");

/**
 * Handles verified notifications inside `tx`, in order. A signature seen before is a replay and
 * a notification id seen before a duplicate: neither writes anything but the signature. The
 * others take their payments' row locks (in the same statement, in id order) and each writes its effect
 * with its ledger entry and event; then all are recorded together. A payment met again later in
 * the list is read again, so each notification sees the one before it. Two deliveries of one
 * notification racing past the lookup meet at the row lock: the second finds the payment
 * already changed — the rules give every notification one effect — writes nothing, and its
 * record conflicts, so it is a duplicate too. Nothing here needs rolling back, so several
 * notifications can share a transaction.
 */
export async function handleNotifications(
  deps: PaymentDeps,
  tx: PaymentTx,
  notifications: readonly VerifiedNotification[],
): Promise<NotificationResult[]> {
  const { admitted, locked } = await tx.notifications.admit(notifications);
  const fresh = notifications.filter((_, i) => admitted[i] === "new");
  const touched = new Set<string>();
  const handled: { notification: VerifiedNotification; outcome: NotificationOutcome }[] = [];
  for (const notification of fresh) {
    let payment = locked.get(notification.paymentId) ?? null;
    if (payment && touched.has(payment.id)) payment = await tx.payments.lock(payment.id);
    const outcome = !payment
      ? "unknown_payment"
      : notification.event === "success"
        ? await applyProviderSuccess(deps, tx, payment, notification.id, notification.amount)
        : await applyProviderFailure(deps, tx, payment);
    touched.add(notification.paymentId);
    handled.push({ notification, outcome });
  }
  const recorded = await tx.notifications.record(handled);
  return notifications.map((n, i): NotificationResult => {
    if (admitted[i] === "replay") return "replay";
    if (admitted[i] === "seen") return "duplicate";
    // The first of equal notifications in the list claims the record.
    return recorded.delete(`${n.provider}/${n.id}`) ? "handled" : "duplicate";
  });
}
