import { Type } from "@sinclair/typebox";
import { PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Sku = Type.String({ minLength: 1, maxLength: 64 });
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
const Qty = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Money = Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.Literal("IDR") });
const Timestamp = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const IdParams = Type.Object({ id: pathId() });
/** `?limit=&cursor=` plus each list's filter. */
export const SkuQuery = Type.Object({ ...PageQuery.properties, sku: Type.Optional(Sku) });
export const SupplierQuery = Type.Object({ ...PageQuery.properties, supplier_id: Type.Optional(Id) });
export { PageQuery };

export const CreateWarehouseBody = Type.Object(
  {
    name: Text(),
    address: Text(500),
    city: Text(),
    province: Text(),
    is_default: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const AdjustmentBody = Type.Object(
  {
    sku: Sku,
    warehouse_id: Id,
    delta: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, not: { const: 0 } }),
    reason: Text(500),
    is_return: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const TransferBody = Type.Object(
  { sku: Sku, from_warehouse_id: Id, to_warehouse_id: Id, quantity: Qty },
  { additionalProperties: false },
);
export const ReorderPointBody = Type.Object(
  { sku: Sku, reorder_point: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) },
  { additionalProperties: false },
);
export const CreateSupplierBody = Type.Object(
  {
    name: Text(),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    phone: Type.Optional(Type.String({ maxLength: 32 })),
    contact_name: Type.Optional(Type.String({ maxLength: 200 })),
    lead_time_days: Type.Integer({ minimum: 0, maximum: 365 }),
    payment_terms_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: false },
);
export const CreatePurchaseOrderBody = Type.Object(
  {
    supplier_id: Id,
    warehouse_id: Id,
    lines: Type.Array(
      Type.Object({ sku: Sku, quantity: Qty, unit_cost: Money }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: 200,
      },
    ),
  },
  { additionalProperties: false },
);
export const ReceiveBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          received: Type.Integer({ minimum: 0 }),
          rejected: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const WarehouseView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  province: Type.String(),
  is_default: Type.Boolean(),
  created_at: Timestamp,
});
export const StockLevelView = Type.Object({
  sku: Type.String(),
  warehouse_id: Type.String(),
  on_hand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  reorder_point: Type.Integer(),
});
export const TransferView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  from_warehouse_id: Type.String(),
  to_warehouse_id: Type.String(),
  quantity: Type.Integer(),
  status: Type.String(),
  created_at: Timestamp,
  received_at: Timestamp,
});
export const SupplierView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  contact_name: Type.Union([Type.String(), Type.Null()]),
  lead_time_days: Type.Integer(),
  payment_terms_days: Type.Integer(),
  created_at: Timestamp,
});
export const PurchaseOrderView = Type.Object({
  id: Type.String(),
  supplier_id: Type.String(),
  warehouse_id: Type.String(),
  status: Type.String(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      unit_cost: Money,
      received: Type.Integer(),
      rejected: Type.Integer(),
    }),
  ),
  total_cost: Money,
  created_at: Timestamp,
  sent_at: Timestamp,
  expected_at: Timestamp,
  finished_at: Timestamp,
});
export const ScorecardView = Type.Object({
  supplier_id: Type.String(),
  purchase_orders: Type.Integer(),
  on_time_rate: Type.Number(),
  fill_rate: Type.Number(),
  average_lead_time_days: Type.Number(),
  rejection_rate: Type.Number(),
});

/** `{ items, next_cursor }` list bodies (every inventory list is paged). */
export { ListOf as Items } from "../../pagination.ts";

/** Problem responses for the OpenAPI document. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
