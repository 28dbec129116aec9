import { DomainError, errors, type Principal, requireActingAs } from "@toko/kit";
import { paymentIdOrNotFound, visibleTo } from "./caller.ts";
import type { PaymentDeps } from "./deps.ts";
import type { PaymentRecord, ReconciliationReport, RefundRecord, SandboxSession } from "./model.ts";

/** A payment with its refunds, for its payer (or a service). */
export async function getPayment(
  deps: PaymentDeps,
  principal: Principal | undefined,
  id: string,
): Promise<{ payment: PaymentRecord; refunds: RefundRecord[] }> {
  if (!principal) throw errors.unauthenticated();
  const paymentId = paymentIdOrNotFound(id);
  const payment = visibleTo(await deps.reads.payment(paymentId), principal);
  return { payment, refunds: await deps.reads.refunds(paymentId) };
}

/** Sandbox: the payer acts as their bank or e-wallet; the notification follows asynchronously. */
export async function simulatePayment(
  deps: PaymentDeps,
  principal: Principal | undefined,
  id: string,
  outcome: string,
): Promise<{ payment: PaymentRecord; refunds: RefundRecord[] }> {
  if (!principal) throw errors.unauthenticated();
  const paymentId = paymentIdOrNotFound(id);
  const payment = await deps.reads.payment(paymentId);
  if (!payment || payment.payerId !== principal.subject) throw errors.notFound("payment");
  if (!deps.sandbox) throw errors.precondition("SANDBOX_DISABLED", "the sandbox provider is off");
  if (outcome !== "success" && outcome !== "failure") {
    throw errors.invalid("invalid outcome", [{ field: "outcome", message: "must be success or failure" }]);
  }
  if (payment.method === "cod") {
    throw errors.precondition("PAYMENT_NOT_PENDING", "cash on delivery is settled by the courier");
  }
  await deps.sandbox.simulate(paymentId, outcome);
  return { payment, refunds: await deps.reads.refunds(paymentId) };
}

function sandboxOf(deps: PaymentDeps) {
  if (!deps.sandbox) throw errors.precondition("SANDBOX_DISABLED", "the sandbox provider is off");
  return deps.sandbox;
}

/** The sandbox's hosted page for a session token (the token is the capability). */
export async function sandboxSession(deps: PaymentDeps, token: string): Promise<SandboxSession> {
  const session = await sandboxOf(deps).session(token);
  if (!session) throw errors.notFound("payment page");
  return session;
}

/** The payer's action on the hosted page: card token, 3-D Secure code, pay or decline. */
export async function actOnSandboxSession(
  deps: PaymentDeps,
  token: string,
  action: { kind: string; cardBrand: string; cardLast4: string; otp: string },
): Promise<SandboxSession> {
  const session = await sandboxOf(deps).act(token, action);
  if (!session) throw errors.notFound("payment page");
  return session;
}

/** Provider notifications against the ledger (admins). */
export async function reconciliation(
  deps: PaymentDeps,
  principal: Principal | undefined,
  from: Date | null,
  to: Date | null,
): Promise<ReconciliationReport> {
  requireActingAs(principal, "admin");
  if (from && to && from.getTime() >= to.getTime()) {
    throw new DomainError("invalid", "VALIDATION_FAILED", "the period is empty", [
      { field: "from", message: "must be before to" },
    ]);
  }
  return deps.reads.reconciliation(from, to);
}
