import { DomainError } from "@toko/kit";
import { applyProviderFailure, applyProviderSuccess } from "./capture.ts";
import type { PaymentDeps } from "./deps.ts";
import type { VerifiedNotification } from "./model.ts";
import type { PaymentTx } from "./ports.ts";

/** What handling a verified notification came to. */
export type NotificationResult = "handled" | "duplicate" | "replay";

/**
 * Checks a webhook as received before any database work: the provider must exist, the signature
 * over the raw body and timestamp must hold and be fresh (UNAUTHENTICATED WEBHOOK_REJECTED).
 */
export function verifyNotification(
  deps: PaymentDeps,
  provider: string,
  rawBody: Buffer,
  headers: Record<string, string>,
): VerifiedNotification {
  if (provider !== deps.provider.name) {
    throw new DomainError("not_found", "UNKNOWN_PROVIDER", `no payment provider named ${provider}`);
  }
  return deps.provider.verify(headers, rawBody, deps.clock.now());
}

/** The error a replayed signature gets. */
export const replayRejected = () =>
  new DomainError("unauthenticated", "WEBHOOK_REJECTED", "this signed request was already received");

/**
 * Handles one verified notification inside `tx`. A signature seen before is a replay and a
 * notification id seen before a duplicate: neither writes anything but the signature. Otherwise
 * the effect, its ledger entry and event and the notification's record are written under the
 * payment's row lock. Two deliveries of one notification racing past the lookup meet at that
 * lock: the second finds the payment already changed — the rules give every notification one
 * effect — writes nothing, and its record conflicts, so it is a duplicate too. Nothing here
 * needs rolling back, so several notifications can share a transaction.
 */
export async function handleNotification(
  deps: PaymentDeps,
  tx: PaymentTx,
  notification: VerifiedNotification,
): Promise<NotificationResult> {
  const admitted = await tx.notifications.admit(notification);
  if (admitted === "replay") return "replay";
  if (admitted === "seen") return "duplicate";
  const payment = await tx.payments.lock(notification.paymentId);
  const outcome = !payment
    ? "unknown_payment"
    : notification.event === "success"
      ? await applyProviderSuccess(deps, tx, payment, notification.id, notification.amount)
      : await applyProviderFailure(deps, tx, payment);
  return (await tx.notifications.record(notification, outcome)) ? "handled" : "duplicate";
}
