import { DomainError, errors, type FieldViolation } from "@toko/kit/errors";
import { type Allocation, checkAmount, type PaymentState, statusAfterRefund } from "./payment.ts";

/** A refund already made, as the rules see it. */
export interface PastRefund {
  id: string;
  orderId: string;
  amount: number;
}

export interface RefundRequest {
  refundId: string;
  amount: number;
  /** Empty: the payment's only order. */
  orderId: string;
}

/** What a refund request comes to. */
export type RefundPlan =
  | { kind: "existing"; refund: PastRefund }
  | { kind: "new"; allocation: Allocation; status: ReturnType<typeof statusAfterRefund> };

/**
 * Checks a refund against the payment and the refunds before it: the same refund id with the
 * same terms is the existing refund (idempotent); otherwise the payment must be captured and
 * the refund must fit both what is left of the capture and of its order's allocation.
 */
export function planRefund(
  payment: PaymentState,
  past: readonly PastRefund[],
  request: RefundRequest,
): RefundPlan {
  const violations: FieldViolation[] = [];
  checkAmount("amount", request.amount, violations);
  if (violations.length > 0) throw errors.invalid("invalid refund", violations);

  const same = past.find((r) => r.id === request.refundId);
  if (same) {
    if (same.amount !== request.amount || (request.orderId !== "" && request.orderId !== same.orderId)) {
      throw new DomainError("conflict", "REFUND_CONFLICT", "this refund id was used with other terms");
    }
    return { kind: "existing", refund: same };
  }
  const allocation = allocationFor(payment.allocations, request.orderId);
  if (payment.captured === 0) {
    throw new DomainError("failed_precondition", "PAYMENT_NOT_CAPTURED", "nothing was captured to refund");
  }
  const left = payment.captured - payment.refunded;
  if (request.amount > left) {
    throw new DomainError(
      "failed_precondition",
      "REFUND_EXCEEDS_CAPTURE",
      `at most ${left} rupiah of this payment can still be refunded`,
      [{ field: "amount", message: `must be at most ${left}` }],
    );
  }
  const forOrder = past.filter((r) => r.orderId === allocation.orderId).reduce((s, r) => s + r.amount, 0);
  if (request.amount > allocation.amount - forOrder) {
    throw new DomainError(
      "failed_precondition",
      "REFUND_EXCEEDS_CAPTURE",
      `at most ${allocation.amount - forOrder} rupiah of this order can still be refunded`,
      [{ field: "amount", message: `must be at most ${allocation.amount - forOrder}` }],
    );
  }
  return {
    kind: "new",
    allocation,
    status: statusAfterRefund(payment.captured, payment.refunded + request.amount),
  };
}

function allocationFor(allocations: readonly Allocation[], orderId: string): Allocation {
  if (orderId === "") {
    const [only, ...others] = allocations;
    if (!only || others.length > 0) {
      throw errors.invalid("name the order this refund is for", [
        { field: "order_id", message: "is required when the payment covers several orders" },
      ]);
    }
    return only;
  }
  const found = allocations.find((a) => a.orderId === orderId);
  if (!found)
    throw errors.invalid("no such order in this payment", [
      { field: "order_id", message: "is not paid by this payment" },
    ]);
  return found;
}
