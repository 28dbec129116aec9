import { errors } from "@toko/kit";
import { codSettlementEntry } from "../domain/ledger.ts";
import { settlesCod } from "../domain/payment.ts";
import { paymentIdOrNotFound } from "./caller.ts";
import type { PaymentDeps } from "./deps.ts";
import type { PaymentRecord } from "./model.ts";

/**
 * The courier collected a COD payment: it succeeds, booked to COD clearing. Idempotent; the
 * transport admits internal services only.
 */
export async function settleCod(
  deps: PaymentDeps,
  input: { paymentId: string; collected: number; currency: string },
): Promise<PaymentRecord> {
  if (input.currency !== "IDR") {
    throw errors.invalid("invalid collection", [{ field: "collected.currency", message: "must be IDR" }]);
  }
  const paymentId = paymentIdOrNotFound(input.paymentId);
  return deps.uow.run(async (tx) => {
    const payment = await tx.payments.lock(paymentId);
    if (!payment) throw errors.notFound("payment");
    if (!settlesCod(payment, input.collected)) return payment;
    const now = deps.clock.now();
    const after: PaymentRecord = { ...payment, status: "SUCCEEDED", captured: payment.amount, paidAt: now };
    await tx.payments.update(paymentId, { status: "SUCCEEDED", captured: payment.amount, paidAt: now });
    await tx.ledger.post(
      paymentId,
      codSettlementEntry(`cod_${paymentId}`, payment.amount, payment.allocations),
    );
    await tx.events.succeeded(after);
    return after;
  });
}
