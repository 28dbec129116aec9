import { type PaymentServiceServer, PaymentServiceService } from "@toko/contracts/toko/payment/v1/payment";
import { type ImplementOptions, implement, requireServicePrincipal } from "@toko/kit";
import { settleCod } from "../application/cod.ts";
import { createPayment } from "../application/create-payment.ts";
import type { PaymentDeps } from "../application/deps.ts";
import type { NotificationIntake } from "../application/notification-intake.ts";
import {
  actOnSandboxSession,
  getPayment,
  reconciliation,
  sandboxSession,
  simulatePayment,
} from "../application/queries.ts";
import { refundPayment } from "../application/refunds.ts";
import {
  allocationsFromProto,
  paymentToProto,
  refundToProto,
  reportToProto,
  sessionToProto,
} from "./mapping.ts";

/** Headers a provider may sign with; the rest of a webhook's headers are not passed on. */
const MAX_HEADERS = 50;

/**
 * Reached by callers without a principal: the provider's webhook (its signature authenticates it)
 * and the sandbox's hosted pages (the session token is the capability).
 */
const publicMethods: ImplementOptions<PaymentServiceServer> = {
  anonymous: ["receiveNotification", "getSandboxSession", "actOnSandboxSession"],
};

/** The PaymentService gRPC handlers: proto in, use case, proto out. */
export function paymentGrpcService(deps: PaymentDeps, intake: NotificationIntake) {
  return implement<PaymentServiceServer>(PaymentServiceService, publicMethods, {
    async createPayment(req, ctx) {
      requireServicePrincipal(ctx);
      const { payment, created } = await createPayment(deps, {
        checkoutId: req.checkoutId,
        payerId: req.payerId,
        amount: req.amount?.amount ?? Number.NaN,
        currency: req.amount?.currency ?? "",
        method: req.method,
        channel: req.channel,
        expiresAt: req.expiresAt,
        allocations: allocationsFromProto(req.allocations),
      });
      return { payment: paymentToProto(payment, []), created };
    },
    async getPayment(req, ctx) {
      const { payment, refunds } = await getPayment(deps, ctx.principal, req.paymentId);
      return { payment: paymentToProto(payment, refunds) };
    },
    async simulatePayment(req, ctx) {
      const { payment, refunds } = await simulatePayment(deps, ctx.principal, req.paymentId, req.outcome);
      return { payment: paymentToProto(payment, refunds) };
    },
    async receiveNotification(req) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers).slice(0, MAX_HEADERS)) {
        headers[name.toLowerCase()] = value;
      }
      return intake.receive(req.provider, Buffer.from(req.rawBody), headers);
    },
    async refundPayment(req, ctx) {
      requireServicePrincipal(ctx);
      const { refund, payment } = await refundPayment(deps, {
        paymentId: req.paymentId,
        refundId: req.refundId,
        amount: req.amount?.amount ?? Number.NaN,
        currency: req.amount?.currency ?? "",
        orderId: req.orderId,
        reason: req.reason,
      });
      const refunds = await deps.reads.refunds(payment.id);
      return { refund: refundToProto(refund), payment: paymentToProto(payment, refunds) };
    },
    async settleCod(req, ctx) {
      requireServicePrincipal(ctx);
      const payment = await settleCod(deps, {
        paymentId: req.paymentId,
        collected: req.collected?.amount ?? Number.NaN,
        currency: req.collected?.currency ?? "",
      });
      return { payment: paymentToProto(payment, await deps.reads.refunds(payment.id)) };
    },
    async getReconciliation(req, ctx) {
      const report = await reconciliation(deps, ctx.principal, req.from ?? null, req.to ?? null);
      return { report: reportToProto(report) };
    },
    async getSandboxSession(req) {
      return { session: sessionToProto(await sandboxSession(deps, req.token)) };
    },
    async actOnSandboxSession(req) {
      const session = await actOnSandboxSession(deps, req.token, {
        kind: req.action,
        cardBrand: req.cardBrand,
        cardLast4: req.cardLast4,
        otp: req.otp,
      });
      return { session: sessionToProto(session) };
    },
  });
}
