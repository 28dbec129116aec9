import { DomainError, errors, type FieldViolation } from "@toko/kit";
import { type Allocation, checkAllocations, checkAmount } from "../domain/payment.ts";
import { checkMethod, expiresUnpaid } from "../domain/payment-method.ts";
import type { PaymentDeps } from "./deps.ts";
import type { PaymentRecord } from "./model.ts";

export interface CreatePaymentInput {
  checkoutId: string;
  payerId: string;
  amount: number;
  currency: string;
  method: string;
  channel: string;
  expiresAt: Date | undefined;
  allocations: Allocation[];
}

/** The longest a payment may stay open (a bank transfer's usual ceiling is far longer; Toko's saga is not). */
const MAX_OPEN_MS = 30 * 24 * 3600_000;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

function validate(deps: PaymentDeps, input: CreatePaymentInput) {
  const out: FieldViolation[] = [];
  if (!REFERENCE.test(input.checkoutId))
    out.push({ field: "checkout_id", message: "must be 1–128 letters, digits or _.:-" });
  if (!REFERENCE.test(input.payerId))
    out.push({ field: "payer_id", message: "must be 1–128 letters, digits or _.:-" });
  checkAmount("amount", input.amount, out);
  if (input.currency !== "IDR") out.push({ field: "amount.currency", message: "must be IDR" });
  const now = deps.clock.now().getTime();
  const expires = input.expiresAt?.getTime();
  if (expires === undefined || Number.isNaN(expires) || expires <= now || expires > now + MAX_OPEN_MS) {
    out.push({ field: "expires_at", message: "must be in the future, at most 30 days ahead" });
  }
  out.push(...checkAllocations(input.amount, input.allocations));
  let method: ReturnType<typeof checkMethod> | undefined;
  try {
    method = checkMethod(input.method, input.channel);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    out.push(...error.violations);
  }
  if (out.length > 0 || !method || !input.expiresAt) throw errors.invalid("invalid payment", out);
  return { ...method, expiresAt: input.expiresAt };
}

/** Same checkout, same terms: the retry of a create (the expiry may differ; the first stands). */
function sameTerms(
  existing: PaymentRecord,
  input: CreatePaymentInput,
  method: string,
  channel: string,
): boolean {
  const allocations = (list: readonly Allocation[]) =>
    JSON.stringify(list.map((a) => [a.orderId, a.shopId, a.amount, a.commission]));
  return (
    existing.payerId === input.payerId &&
    existing.amount === input.amount &&
    existing.method === method &&
    existing.channel === channel &&
    allocations(existing.allocations) === allocations(input.allocations)
  );
}

function existingOrConflict(
  existing: PaymentRecord,
  input: CreatePaymentInput,
  method: string,
  channel: string,
) {
  if (!sameTerms(existing, input, method, channel)) {
    throw new DomainError(
      "conflict",
      "CHECKOUT_PAYMENT_CONFLICT",
      "this checkout already has a payment with other terms",
    );
  }
  return { payment: existing, created: false };
}

/**
 * Opens a checkout's payment (the saga's step 3). Idempotent per checkout: a retry returns the
 * first payment. The provider is asked before the transaction (it may be remote); if a
 * concurrent create wins the insert, its payment is returned and the extra charge simply expires
 * at the provider unpaid. Internal services only: the transport checks the caller first.
 */
export async function createPayment(
  deps: PaymentDeps,
  input: CreatePaymentInput,
): Promise<{ payment: PaymentRecord; created: boolean }> {
  const { method, channel, expiresAt } = validate(deps, input);
  const existing = await deps.reads.byCheckout(input.checkoutId);
  if (existing) return existingOrConflict(existing, input, method, channel);

  const id = deps.newPaymentId();
  const opened = await deps.provider.open({
    paymentId: id,
    payerId: input.payerId,
    amount: input.amount,
    method,
    channel,
    expiresAt,
  });
  const payment: PaymentRecord = {
    id,
    checkoutId: input.checkoutId,
    payerId: input.payerId,
    amount: input.amount,
    method,
    channel,
    status: "PENDING",
    statusReason: "",
    provider: deps.provider.name,
    providerReference: opened.reference,
    instructions: opened.instructions,
    expiresAt,
    captured: 0,
    refunded: 0,
    allocations: input.allocations,
    createdAt: deps.clock.now(),
    paidAt: null,
  };
  const inserted = await deps.uow.run(async (tx) => {
    if (!(await tx.payments.insert(payment))) return false;
    if (expiresUnpaid(method)) await tx.timers.expireAt(id, expiresAt);
    return true;
  });
  if (inserted) return { payment, created: true };
  const winner = await deps.reads.byCheckout(input.checkoutId);
  if (!winner) throw new Error(`checkout ${input.checkoutId} has no payment after a conflicting insert`);
  return existingOrConflict(winner, input, method, channel);
}
