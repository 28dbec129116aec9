import type { Static } from "@sinclair/typebox";
import type { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import type { FastifyInstance } from "fastify";
import { sellerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import { idempotencyKeyOf } from "../../plugins/idempotency.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  CreatePurchaseOrderBody,
  CreateSupplierBody,
  IdParams,
  Items,
  PageQuery,
  PurchaseOrderView,
  problems,
  ReceiveBody,
  ScorecardView,
  SupplierQuery,
  SupplierView,
} from "./schemas.ts";
import { purchaseOrderJson, supplierJson } from "./views.ts";

const tags = ["Suppliers and purchase orders"];
const security = [{ bearer: [] }];
const seller = { auth: sellerOnly };

/** `/api/v1/seller/suppliers…` and `/api/v1/seller/purchase-orders…`. */
export function registerPurchasingRoutes(
  app: FastifyInstance,
  upstream: Upstream<InventoryServiceClient>,
): void {
  const inventory = upstream.client;
  const opts = (request: { principal: unknown; id: string }) => ({
    principal: request.principal as never,
    requestId: request.id,
  });
  const po = (res: { purchaseOrder?: Parameters<typeof purchaseOrderJson>[0] }) => {
    if (!res.purchaseOrder) throw new Error("inventory answered without a purchase order");
    return purchaseOrderJson(res.purchaseOrder);
  };

  app.get<{ Querystring: PageQuery }>(
    "/api/v1/seller/suppliers",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "The shop's suppliers, oldest first (paged)",
        querystring: PageQuery,
        response: { 200: Items(SupplierView), ...problems(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const res = await inventory.listSuppliers({ page: pageRequest(request.query) }, opts(request));
      return listResponse(res.suppliers.map(supplierJson), res.page);
    },
  );

  app.post<{ Body: Static<typeof CreateSupplierBody> }>(
    "/api/v1/seller/suppliers",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Add a supplier",
        body: CreateSupplierBody,
        response: { 201: SupplierView, ...problems(400, 401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await inventory.createSupplier(
        {
          name: b.name,
          email: b.email ?? "",
          phone: b.phone ?? "",
          contactName: b.contact_name ?? "",
          leadTimeDays: b.lead_time_days,
          paymentTermsDays: b.payment_terms_days ?? 0,
        },
        opts(request),
      );
      if (!res.supplier) throw new Error("CreateSupplier answered without a supplier");
      return reply.code(201).send(supplierJson(res.supplier));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    "/api/v1/seller/suppliers/:id/scorecard",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "On-time rate, fill rate, lead time, rejection rate",
        params: IdParams,
        response: { 200: ScorecardView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { scorecard: s } = await inventory.getSupplierScorecard(
        { supplierId: request.params.id },
        opts(request),
      );
      if (!s) throw new Error("GetSupplierScorecard answered without a scorecard");
      return {
        supplier_id: s.supplierId,
        purchase_orders: s.purchaseOrders,
        on_time_rate: s.onTimeRate,
        fill_rate: s.fillRate,
        average_lead_time_days: s.averageLeadTimeDays,
        rejection_rate: s.rejectionRate,
      };
    },
  );

  app.get<{ Querystring: Static<typeof SupplierQuery> }>(
    "/api/v1/seller/purchase-orders",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "The shop's purchase orders, newest first (paged)",
        querystring: SupplierQuery,
        response: { 200: Items(PurchaseOrderView), ...problems(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const res = await inventory.listPurchaseOrders(
        { supplierId: request.query.supplier_id ?? "", page: pageRequest(request.query) },
        opts(request),
      );
      return listResponse(res.purchaseOrders.map(purchaseOrderJson), res.page);
    },
  );

  app.post<{ Body: Static<typeof CreatePurchaseOrderBody> }>(
    "/api/v1/seller/purchase-orders",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Draft a purchase order",
        body: CreatePurchaseOrderBody,
        response: { 201: PurchaseOrderView, ...problems(400, 401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await inventory.createPurchaseOrder(
        {
          supplierId: b.supplier_id,
          warehouseId: b.warehouse_id,
          lines: b.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitCost: l.unit_cost })),
        },
        opts(request),
      );
      return reply.code(201).send(po(res));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    "/api/v1/seller/purchase-orders/:id",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "One purchase order",
        params: IdParams,
        response: { 200: PurchaseOrderView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) => po(await inventory.getPurchaseOrder({ id: request.params.id }, opts(request))),
  );

  for (const action of ["send", "close", "cancel"] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(
      `/api/v1/seller/purchase-orders/:id/${action}`,
      {
        config: seller,
        schema: {
          tags,
          security,
          summary: `${action} a purchase order`,
          params: IdParams,
          response: { 200: PurchaseOrderView, ...problems(401, 403, 404, 409, 503) },
        },
      },
      async (request) => {
        const req = { id: request.params.id };
        const res =
          action === "send"
            ? await inventory.sendPurchaseOrder(req, opts(request))
            : action === "close"
              ? await inventory.closePurchaseOrder(req, opts(request))
              : await inventory.cancelPurchaseOrder(req, opts(request));
        return po(res);
      },
    );
  }

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReceiveBody> }>(
    "/api/v1/seller/purchase-orders/:id/receive",
    {
      // A retried receipt must not book the delivery twice: `Idempotency-Key`, carried to the service.
      config: { ...seller, idempotent: true },
      schema: {
        tags,
        security,
        summary: "Book a delivery (partial receipts and rejections update stock)",
        params: IdParams,
        body: ReceiveBody,
        response: { 200: PurchaseOrderView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request) => {
      const res = await inventory.receivePurchaseOrder(
        {
          id: request.params.id,
          lines: request.body.lines.map((l) => ({
            sku: l.sku,
            received: l.received,
            rejected: l.rejected ?? 0,
          })),
          idempotencyKey: idempotencyKeyOf(request),
        },
        opts(request),
      );
      return po(res);
    },
  );
}
