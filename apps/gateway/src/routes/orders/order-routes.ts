import type { Static } from "@sinclair/typebox";
import type { OrderServiceClient } from "@toko/contracts/toko/order/v1/order";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { buyerOnly, sellerOnly } from "../../auth/route-rules.ts";
import { ListOf, listResponse, pageRequest } from "../../pagination.ts";
import { idempotencyKeyOf } from "../../plugins/idempotency.ts";
import type { Upstream } from "../../upstreams.ts";
import { problemResponses } from "../problem-schema.ts";
import {
  BalanceView,
  CancelBody,
  CheckoutBody,
  CheckoutView,
  NoBody,
  OrderIdParams,
  OrdersQuery,
  OrderView,
  ReceiveBody,
  RejectBody,
  ReturnBody,
  ReturnIdParams,
  ReturnView,
  SellerOrderView,
  ShipBody,
  ShipView,
} from "./schemas.ts";
import { orderJson, paymentJson, returnJson, sellerOrderJson } from "./views.ts";

const security = [{ bearer: [] }];
const buyer = { auth: buyerOnly };
const seller = { auth: sellerOnly };
const buyerTags = ["Orders"];
const sellerTags = ["Seller orders"];

type Params = { Params: Static<typeof OrderIdParams> };

/** Actions whose body is optional: no body at all counts as `{}`, then the schema applies. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Checkout, the buyer's orders and returns, the seller's orders, returns and balance → `order`. */
export function registerOrderRoutes(app: FastifyInstance, upstream: Upstream<OrderServiceClient>): void {
  const orders = upstream.client;
  const opts = (request: FastifyRequest) => ({
    principal: request.principal as never,
    requestId: request.id,
  });

  app.post<{ Body: Static<typeof CheckoutBody> }>(
    "/api/v1/checkout",
    {
      config: { ...buyer, idempotent: true },
      schema: {
        tags: buyerTags,
        security,
        summary:
          "Check out the cart: one order per shop, stock reserved, one payment (Idempotency-Key required)",
        description:
          "Prices every line live, applies the vouchers, reserves the stock (all or nothing) and opens the payment. " +
          "The same Idempotency-Key answers the same checkout; with another body it is 422 IDEMPOTENCY_KEY_REUSED. " +
          "Not enough stock is 409 OUT_OF_STOCK naming the lines, with nothing reserved.",
        headers: {
          type: "object",
          required: ["idempotency-key"],
          properties: { "idempotency-key": { type: "string", minLength: 1, maxLength: 255 } },
        },
        body: CheckoutBody,
        response: { 201: CheckoutView, ...problemResponses(400, 401, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await orders.checkout(
        {
          idempotencyKey: idempotencyKeyOf(request) ?? "",
          addressId: b.address_id,
          shipping: b.shipping.map((s) => ({ shopId: s.shop_id, optionId: s.option_id })),
          paymentMethod: b.payment_method,
          paymentChannel: b.payment_channel ?? "",
          voucherCodes: b.voucher_codes ?? [],
          overrideVouchers: b.voucher_codes !== undefined,
        },
        opts(request),
      );
      return reply.code(201).send({
        checkout_id: res.checkoutId,
        orders: res.orders.map(orderJson),
        payment: paymentJson(res.payment, res.paymentStatus),
      });
    },
  );

  app.get<{ Querystring: Static<typeof OrdersQuery> }>(
    "/api/v1/orders",
    {
      config: buyer,
      schema: {
        tags: buyerTags,
        security,
        summary: "The caller's orders, newest first",
        querystring: OrdersQuery,
        response: { 200: ListOf(OrderView), ...problemResponses(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const res = await orders.listOrders(
        { status: request.query.status ?? "", page: pageRequest(request.query) },
        opts(request),
      );
      return listResponse(res.orders.map(orderJson), res.page);
    },
  );

  app.get<Params>(
    "/api/v1/orders/:id",
    {
      config: buyer,
      schema: {
        tags: buyerTags,
        security,
        summary: "One of the caller's orders with its history, shipment and returns",
        params: OrderIdParams,
        response: { 200: OrderView, ...problemResponses(401, 403, 404, 503) },
      },
    },
    async (request) =>
      orderJson((await orders.getOrder({ orderId: request.params.id }, opts(request))).order),
  );

  const buyerAction = (
    path: string,
    summary: string,
    call: (request: FastifyRequest<Params & { Body: Static<typeof CancelBody> }>) => Promise<unknown>,
  ) =>
    app.post<Params & { Body: Static<typeof CancelBody> }>(
      path,
      {
        config: buyer,
        preValidation: emptyBodyAsObject,
        schema: {
          tags: buyerTags,
          security,
          summary,
          params: OrderIdParams,
          body: CancelBody,
          response: { 200: OrderView, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
        },
      },
      call,
    );

  buyerAction(
    "/api/v1/orders/:id/cancel",
    "Cancel before the order ships; a paid order is refunded",
    async (request) =>
      orderJson(
        (
          await orders.cancelOrder(
            { orderId: request.params.id, reason: request.body?.reason ?? "" },
            opts(request),
          )
        ).order,
      ),
  );
  buyerAction("/api/v1/orders/:id/complete", "Confirm receipt of a delivered order", async (request) =>
    orderJson((await orders.completeOrder({ orderId: request.params.id }, opts(request))).order),
  );

  app.post<Params & { Body: Static<typeof ReturnBody> }>(
    "/api/v1/orders/:id/returns",
    {
      config: buyer,
      schema: {
        tags: buyerTags,
        security,
        summary: "Ask to return lines of a delivered order (within the confirmation window)",
        params: OrderIdParams,
        body: ReturnBody,
        response: { 201: ReturnView, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const res = await orders.requestReturn(
        {
          orderId: request.params.id,
          lines: request.body.lines.map((l) => ({ lineId: l.line_id, quantity: l.quantity })),
          reason: request.body.reason,
        },
        opts(request),
      );
      return reply.code(201).send(returnJson(res.return));
    },
  );

  app.get<{ Querystring: Static<typeof OrdersQuery> }>(
    "/api/v1/seller/orders",
    {
      config: seller,
      schema: {
        tags: sellerTags,
        security,
        summary: "The orders of the caller's shop, newest first, optionally of one status",
        querystring: OrdersQuery,
        response: { 200: ListOf(SellerOrderView), ...problemResponses(401, 403, 409, 422, 503) },
      },
    },
    async (request) => {
      const res = await orders.listShopOrders(
        { status: request.query.status ?? "", page: pageRequest(request.query) },
        opts(request),
      );
      return listResponse(res.orders.map(sellerOrderJson), res.page);
    },
  );

  const sellerSchema = (summary: string, params: typeof OrderIdParams, body: unknown, ok: unknown) => ({
    config: seller,
    ...(body === undefined ? {} : { preValidation: emptyBodyAsObject }),
    schema: {
      tags: sellerTags,
      security,
      summary,
      params,
      body,
      response: { 200: ok, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
    },
  });

  app.post<Params>(
    "/api/v1/seller/orders/:id/accept",
    sellerSchema("Accept a paid order: it is being prepared", OrderIdParams, NoBody, SellerOrderView),
    async (request) =>
      sellerOrderJson((await orders.acceptOrder({ orderId: request.params.id }, opts(request))).order),
  );
  app.post<Params & { Body: Static<typeof CancelBody> }>(
    "/api/v1/seller/orders/:id/reject",
    sellerSchema(
      "Reject a paid order: cancelled, refunded and restocked",
      OrderIdParams,
      CancelBody,
      SellerOrderView,
    ),
    async (request) =>
      sellerOrderJson(
        (
          await orders.rejectOrder(
            { orderId: request.params.id, reason: request.body?.reason ?? "" },
            opts(request),
          )
        ).order,
      ),
  );
  app.post<Params & { Body: Static<typeof ShipBody> }>(
    "/api/v1/seller/orders/:id/ship",
    sellerSchema("Book the courier's pickup for a processing order", OrderIdParams, ShipBody, ShipView),
    async (request) => {
      const res = await orders.shipOrder(
        { orderId: request.params.id, pickupSlotId: request.body?.pickup_slot_id ?? "" },
        opts(request),
      );
      return {
        shipment_id: res.shipment?.shipmentId ?? "",
        awb: res.shipment?.awb ?? "",
        carrier: res.shipment?.carrier ?? "",
        service: res.shipment?.service ?? "",
        order: sellerOrderJson(res.order),
      };
    },
  );

  type ReturnParams = { Params: Static<typeof ReturnIdParams> };
  app.post<ReturnParams>(
    "/api/v1/seller/returns/:id/approve",
    sellerSchema("Approve a return: the return pickup is booked", ReturnIdParams, NoBody, ReturnView),
    async (request) =>
      returnJson((await orders.approveReturn({ returnId: request.params.id }, opts(request))).return),
  );
  app.post<ReturnParams & { Body: Static<typeof RejectBody> }>(
    "/api/v1/seller/returns/:id/reject",
    sellerSchema("Reject a return: the order completes", ReturnIdParams, RejectBody, ReturnView),
    async (request) =>
      returnJson(
        (
          await orders.rejectReturn(
            { returnId: request.params.id, reason: request.body.reason },
            opts(request),
          )
        ).return,
      ),
  );
  app.post<ReturnParams & { Body: Static<typeof ReceiveBody> }>(
    "/api/v1/seller/returns/:id/receive",
    sellerSchema("The returned goods arrived: restock and refund", ReturnIdParams, ReceiveBody, ReturnView),
    async (request) => {
      const amount = request.body?.refund_amount;
      const res = await orders.receiveReturn(
        {
          returnId: request.params.id,
          refundAmount: amount === undefined ? undefined : { amount, currency: "IDR" },
        },
        opts(request),
      );
      return returnJson(res.return);
    },
  );

  app.get(
    "/api/v1/seller/balance",
    {
      config: seller,
      schema: {
        tags: sellerTags,
        security,
        summary:
          "The shop's money: pending (paid, not completed), available (completed less commission), payouts",
        response: { 200: BalanceView, ...problemResponses(401, 403, 409, 503) },
      },
    },
    async (request) => {
      const b = await orders.getSellerBalance({}, opts(request));
      const m = (x: { amount: number } | undefined) => ({
        amount: Number(x?.amount ?? 0),
        currency: "IDR" as const,
      });
      return {
        available: m(b.available),
        pending: m(b.pending),
        payouts: b.payouts.map((p) => ({
          order_id: p.orderId,
          gross: m(p.gross),
          commission: m(p.commission),
          net: m(p.net),
          created_at: (p.createdAt ?? new Date(0)).toISOString(),
        })),
      };
    },
  );
}
