import { captureEntry, lateCaptureEntries } from "../domain/ledger.ts";
import { decideCapture, failsOnDecline } from "../domain/payment.ts";
import type { PaymentDeps } from "./deps.ts";
import type { NotificationOutcome, PaymentRecord, RefundRecord } from "./model.ts";
import type { PaymentTx } from "./ports.ts";

/**
 * The provider says `amount` was paid (notification `notificationId`), on a locked payment.
 * A pending payment is captured: status, ledger, PaymentSucceeded, expiry cancelled. Money for a
 * payment already given up is taken and refunded at once, both recorded, RefundSucceeded out.
 */
export async function applyProviderSuccess(
  deps: PaymentDeps,
  tx: PaymentTx,
  payment: PaymentRecord,
  notificationId: string,
  amount: number,
): Promise<NotificationOutcome> {
  const decision = decideCapture(payment, amount);
  const now = deps.clock.now();
  switch (decision.kind) {
    case "ignore":
      return "ignored";
    case "amount_mismatch":
      return "amount_mismatch";
    case "capture": {
      await tx.payments.update(payment.id, { status: "SUCCEEDED", captured: amount, paidAt: now });
      await tx.ledger.post(payment.id, captureEntry(notificationId, amount, payment.allocations));
      await tx.timers.cancelExpiry(payment.id);
      await tx.events.succeeded({ ...payment, status: "SUCCEEDED", captured: amount, paidAt: now });
      return "captured";
    }
    case "capture_and_refund": {
      const refundId = `auto_${payment.id}`;
      const { reference } = deps.provider.refund({
        paymentId: payment.id,
        reference: payment.providerReference,
        refundId,
        amount,
      });
      const refund: RefundRecord = {
        id: refundId,
        paymentId: payment.id,
        orderId: "",
        amount,
        reason: decision.reason,
        status: "SUCCEEDED",
        automatic: true,
        providerReference: reference,
        createdAt: now,
      };
      const after: PaymentRecord = {
        ...payment,
        status: "REFUNDED",
        statusReason: decision.reason,
        captured: amount,
        refunded: amount,
        paidAt: now,
      };
      await tx.payments.update(payment.id, {
        status: after.status,
        statusReason: after.statusReason,
        captured: amount,
        refunded: amount,
        paidAt: now,
      });
      await tx.refunds.insert(refund);
      for (const entry of lateCaptureEntries(notificationId, refundId, amount))
        await tx.ledger.post(payment.id, entry);
      await tx.events.refundSucceeded(after, refund, amount);
      return "refunded_late";
    }
  }
}

/** The provider declined a locked payment: a pending one fails (PaymentFailed); else nothing. */
export async function applyProviderFailure(
  deps: PaymentDeps,
  tx: PaymentTx,
  payment: PaymentRecord,
): Promise<NotificationOutcome> {
  if (!failsOnDecline(payment)) return "ignored";
  const now = deps.clock.now();
  await tx.payments.update(payment.id, { status: "FAILED", statusReason: "declined" });
  await tx.timers.cancelExpiry(payment.id);
  await tx.events.failed({ ...payment, status: "FAILED", statusReason: "declined" }, "declined", now);
  return "failed";
}
