import type { Static } from "@sinclair/typebox";
import type { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import type { FastifyInstance } from "fastify";
import { sellerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import { idempotencyKeyOf } from "../../plugins/idempotency.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  AdjustmentBody,
  CreateWarehouseBody,
  IdParams,
  Items,
  PageQuery,
  problems,
  ReorderPointBody,
  SkuQuery,
  StockLevelView,
  TransferBody,
  TransferView,
  WarehouseView,
} from "./schemas.ts";
import { levelJson, transferJson, warehouseJson } from "./views.ts";

const tags = ["Inventory"];
const security = [{ bearer: [] }];
const seller = { auth: sellerOnly };
/** Stock writes a client may retry: `Idempotency-Key` at the edge, and carried to the service. */
const retriedWrite = { ...seller, idempotent: true } as const;

/** `/api/v1/seller/warehouses`, `/stock`, adjustments, transfers, reorder points. */
export function registerStockRoutes(app: FastifyInstance, upstream: Upstream<InventoryServiceClient>): void {
  const inventory = upstream.client;
  const opts = (request: { principal: unknown; id: string }) => ({
    principal: request.principal as never,
    requestId: request.id,
  });

  app.get<{ Querystring: PageQuery }>(
    "/api/v1/seller/warehouses",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "The shop's warehouses, oldest first (paged)",
        querystring: PageQuery,
        response: { 200: Items(WarehouseView), ...problems(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const res = await inventory.listWarehouses({ page: pageRequest(request.query) }, opts(request));
      return listResponse(res.warehouses.map(warehouseJson), res.page);
    },
  );

  app.post<{ Body: Static<typeof CreateWarehouseBody> }>(
    "/api/v1/seller/warehouses",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Add a warehouse (the first is the default)",
        body: CreateWarehouseBody,
        response: { 201: WarehouseView, ...problems(400, 401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await inventory.createWarehouse(
        {
          name: b.name,
          address: b.address,
          city: b.city,
          province: b.province,
          isDefault: b.is_default ?? false,
        },
        opts(request),
      );
      if (!res.warehouse) throw new Error("CreateWarehouse answered without a warehouse");
      return reply.code(201).send(warehouseJson(res.warehouse));
    },
  );

  app.get<{ Querystring: Static<typeof SkuQuery> }>(
    "/api/v1/seller/stock",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Stock levels per SKU per warehouse, by SKU then warehouse (paged)",
        querystring: SkuQuery,
        response: { 200: Items(StockLevelView), ...problems(401, 403, 422, 503) },
      },
    },
    async (request) => {
      const res = await inventory.listStockLevels(
        { sku: request.query.sku ?? "", page: pageRequest(request.query) },
        opts(request),
      );
      return listResponse(res.levels.map(levelJson), res.page);
    },
  );

  app.post<{ Body: Static<typeof AdjustmentBody> }>(
    "/api/v1/seller/stock/adjustments",
    {
      config: retriedWrite,
      schema: {
        tags,
        security,
        summary: "An audited stock adjustment",
        body: AdjustmentBody,
        response: { 201: StockLevelView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await inventory.adjustStock(
        {
          sku: b.sku,
          warehouseId: b.warehouse_id,
          delta: b.delta,
          reason: b.reason,
          isReturn: b.is_return ?? false,
          idempotencyKey: idempotencyKeyOf(request),
        },
        opts(request),
      );
      if (!res.level) throw new Error("AdjustStock answered without a level");
      return reply.code(201).send(levelJson(res.level));
    },
  );

  app.post<{ Body: Static<typeof TransferBody> }>(
    "/api/v1/seller/stock/transfers",
    {
      config: retriedWrite,
      schema: {
        tags,
        security,
        summary: "Move stock between warehouses (in transit until received)",
        body: TransferBody,
        response: { 201: TransferView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const res = await inventory.transferStock(
        {
          sku: b.sku,
          fromWarehouseId: b.from_warehouse_id,
          toWarehouseId: b.to_warehouse_id,
          quantity: b.quantity,
          idempotencyKey: idempotencyKeyOf(request),
        },
        opts(request),
      );
      if (!res.transfer) throw new Error("TransferStock answered without a transfer");
      return reply.code(201).send(transferJson(res.transfer));
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    "/api/v1/seller/stock/transfers/:id/receive",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Book an in-transit transfer into its destination",
        params: IdParams,
        response: { 200: TransferView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const res = await inventory.receiveTransfer({ transferId: request.params.id }, opts(request));
      if (!res.transfer) throw new Error("ReceiveTransfer answered without a transfer");
      return transferJson(res.transfer);
    },
  );

  app.put<{ Body: Static<typeof ReorderPointBody> }>(
    "/api/v1/seller/stock/reorder-points",
    {
      config: seller,
      schema: {
        tags,
        security,
        summary: "Set a SKU's reorder point (LowStock below it)",
        body: ReorderPointBody,
        ...{},
      },
    },
    async (request) => {
      const res = await inventory.setReorderPoint(
        { sku: request.body.sku, reorderPoint: request.body.reorder_point },
        opts(request),
      );
      return { sku: res.sku, reorder_point: res.reorderPoint };
    },
  );
}
