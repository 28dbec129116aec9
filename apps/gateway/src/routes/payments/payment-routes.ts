import type { Static } from "@sinclair/typebox";
import type { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import type { FastifyInstance } from "fastify";
import { adminOnly, buyerOnly } from "../../auth/route-rules.ts";
import type { Upstream } from "../../upstreams.ts";
import { problemResponses } from "../problem-schema.ts";
import {
  PaymentIdParams,
  PaymentView,
  ReconciliationQuery,
  ReconciliationView,
  SimulateBody,
} from "./schemas.ts";
import { paymentJson, reconciliationJson } from "./views.ts";

const tags = ["Payments"];
const security = [{ bearer: [] }];
const buyer = { auth: buyerOnly };
const admin = { auth: adminOnly };

/** `/api/v1/payments/{id}`, its sandbox `simulate`, and the admins' reconciliation report. */
export function registerPaymentRoutes(app: FastifyInstance, upstream: Upstream<PaymentServiceClient>): void {
  const payments = upstream.client;
  const opts = (request: { principal: unknown; id: string }) => ({
    principal: request.principal as never,
    requestId: request.id,
  });

  app.get<{ Params: Static<typeof PaymentIdParams> }>(
    "/api/v1/payments/:id",
    {
      config: buyer,
      schema: {
        tags,
        security,
        summary: "A payment: status, how to pay, refunds (its payer only)",
        params: PaymentIdParams,
        response: { 200: PaymentView, ...problemResponses(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const res = await payments.getPayment({ paymentId: request.params.id }, opts(request));
      return paymentJson(res.payment);
    },
  );

  app.post<{ Params: Static<typeof PaymentIdParams>; Body: Static<typeof SimulateBody> }>(
    "/api/v1/payments/:id/simulate",
    {
      config: buyer,
      schema: {
        tags,
        security,
        summary: "Sandbox: act as the bank or e-wallet; the provider then calls the webhook",
        description:
          "Answers 202 at once: the sandbox notifies Toko's webhook asynchronously, so poll the payment for its new status.",
        params: PaymentIdParams,
        body: SimulateBody,
        response: { 202: PaymentView, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const res = await payments.simulatePayment(
        { paymentId: request.params.id, outcome: request.body.outcome },
        opts(request),
      );
      return reply.code(202).send(paymentJson(res.payment));
    },
  );

  app.get<{ Querystring: Static<typeof ReconciliationQuery> }>(
    "/api/v1/admin/payments/reconciliation",
    {
      config: admin,
      schema: {
        tags,
        security,
        summary: "Provider notifications against the ledger over [from, to)",
        querystring: ReconciliationQuery,
        response: { 200: ReconciliationView, ...problemResponses(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const res = await payments.getReconciliation(
        { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        opts(request),
      );
      return reconciliationJson(res.report);
    },
  );
}
