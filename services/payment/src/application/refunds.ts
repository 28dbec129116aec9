import { DomainError, errors } from "@toko/kit";
import { ACCOUNTS, refundEntry } from "../domain/ledger.ts";
import { planRefund } from "../domain/refund.ts";
import { paymentIdOrNotFound } from "./caller.ts";
import type { PaymentDeps } from "./deps.ts";
import type { PaymentRecord, RefundRecord } from "./model.ts";

export interface RefundInput {
  paymentId: string;
  refundId: string;
  amount: number;
  currency: string;
  orderId: string;
  reason: string;
}

const REFUND_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Returns money of a captured payment (order cancelled, return received). Runs under the
 * payment's row lock, so concurrent refunds are checked one after another against what is left;
 * the refund, the ledger entry and RefundSucceeded commit together. Idempotent per refund id.
 * Internal services only: the transport checks the caller first.
 */
export async function refundPayment(
  deps: PaymentDeps,
  input: RefundInput,
): Promise<{ refund: RefundRecord; payment: PaymentRecord }> {
  if (!REFUND_ID.test(input.refundId)) {
    throw errors.invalid("invalid refund id", [
      { field: "refund_id", message: "must be 1–128 letters, digits or _.:-" },
    ]);
  }
  if (input.currency !== "IDR") {
    throw errors.invalid("invalid refund", [{ field: "amount.currency", message: "must be IDR" }]);
  }
  const reason = input.reason.trim();
  if (reason.length > 500)
    throw errors.invalid("invalid refund", [{ field: "reason", message: "must be at most 500 characters" }]);
  const paymentId = paymentIdOrNotFound(input.paymentId);
  return deps.uow.run(async (tx) => {
    const payment = await tx.payments.lock(paymentId);
    if (!payment) throw errors.notFound("payment");
    const sameId = await tx.refunds.byId(input.refundId);
    if (sameId && sameId.paymentId !== paymentId) {
      throw new DomainError("conflict", "REFUND_CONFLICT", "this refund id belongs to another payment");
    }
    const past = await tx.refunds.of(paymentId);
    const plan = planRefund(payment, past, {
      refundId: input.refundId,
      amount: input.amount,
      orderId: input.orderId,
    });
    if (plan.kind === "existing") {
      const refund = past.find((r) => r.id === plan.refund.id) as RefundRecord;
      return { refund, payment };
    }
    const now = deps.clock.now();
    const { reference } = deps.provider.refund({
      paymentId,
      reference: payment.providerReference,
      refundId: input.refundId,
      amount: input.amount,
    });
    const refund: RefundRecord = {
      id: input.refundId,
      paymentId,
      orderId: plan.allocation.orderId,
      amount: input.amount,
      reason: reason === "" ? "requested" : reason,
      status: "SUCCEEDED",
      automatic: false,
      providerReference: reference,
      createdAt: now,
    };
    const refunded = payment.refunded + input.amount;
    const after: PaymentRecord = { ...payment, status: plan.status, refunded };
    await tx.refunds.insert(refund);
    await tx.payments.update(paymentId, { status: plan.status, refunded });
    const source = payment.method === "cod" ? ACCOUNTS.codClearing : ACCOUNTS.providerClearing;
    await tx.ledger.post(paymentId, refundEntry(refund.id, refund.amount, plan.allocation, source));
    await tx.events.refundSucceeded(after, refund, refunded);
    return { refund, payment: after };
  });
}
