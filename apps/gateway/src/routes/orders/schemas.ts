import { Type } from "@sinclair/typebox";
import { PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.Literal("IDR") });
const Timestamp = Type.String({ format: "date-time" });
const Id = Type.String({ minLength: 1, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" });
const Reason = Type.String({ minLength: 3, maxLength: 1000 });

export const OrderIdParams = Type.Object({ id: pathId({ maxLength: 64 }) });
export const ReturnIdParams = Type.Object({ id: pathId({ maxLength: 64 }) });

export const STATUSES = [
  "AWAITING_PAYMENT",
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "COMPLETED",
  "CANCELLED",
  "RETURN_REQUESTED",
  "RETURNED",
  "REFUNDED",
] as const;

export const OrdersQuery = Type.Composite([
  PageQuery,
  Type.Object({ status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))) }),
]);

export const CheckoutBody = Type.Object(
  {
    address_id: Id,
    shipping: Type.Array(Type.Object({ shop_id: Id, option_id: Id }, { additionalProperties: false }), {
      maxItems: 50,
      description: "the courier option chosen per shop (from GET /api/v1/cart/shipping-options)",
    }),
    payment_method: Type.Union(
      [
        Type.Literal("bank_transfer_va"),
        Type.Literal("ewallet"),
        Type.Literal("credit_card"),
        Type.Literal("cod"),
      ],
      { description: "bank_transfer_va, ewallet, credit_card or cod" },
    ),
    payment_channel: Type.Optional(
      Type.String({
        maxLength: 32,
        description:
          "the bank (bca, bni, bri, mandiri, permata) or e-wallet (gopay, ovo, dana, shopeepay); omitted for card and COD",
      }),
    ),
    voucher_codes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 10,
        description: "replaces the vouchers applied to the cart",
      }),
    ),
  },
  { additionalProperties: false },
);

/** An action that takes no fields: no body, or an empty object. */
export const NoBody = Type.Object({}, { additionalProperties: false });

export const CancelBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const ReturnBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        { line_id: Id, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    reason: Reason,
  },
  { additionalProperties: false },
);

export const RejectBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const ShipBody = Type.Object(
  {
    pickup_slot_id: Type.Optional(
      Type.String({ maxLength: 128, description: "from the pickup slots; omitted books the earliest" }),
    ),
  },
  { additionalProperties: false },
);
export const ReceiveBody = Type.Object(
  {
    refund_amount: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "rupiah to refund; omitted refunds the returned lines' value",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReturnView = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  status: Type.String({ description: "REQUESTED, APPROVED, REJECTED, RECEIVED, REFUNDED" }),
  lines: Type.Array(Type.Object({ line_id: Type.String(), sku: Type.String(), quantity: Type.Integer() })),
  reason: Type.String(),
  rejection_reason: Type.Union([Type.String(), Type.Null()]),
  refund_amount: Money,
  shipment_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});

const Shipment = Type.Object({
  shipment_id: Type.String(),
  awb: Type.String(),
  carrier: Type.String(),
  service: Type.String(),
});

export const OrderView = Type.Object({
  id: Type.String(),
  checkout_id: Type.String(),
  shop_id: Type.String(),
  status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
  lines: Type.Array(
    Type.Object({
      line_id: Type.String(),
      product_id: Type.String(),
      variant_id: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unit_price: Money,
      line_total: Money,
    }),
  ),
  totals: Type.Object({
    subtotal: Money,
    discount: Money,
    shipping: Money,
    service_fee: Money,
    total: Money,
  }),
  history: Type.Array(
    Type.Object({ status: Type.String(), at: Timestamp, reason: Type.Union([Type.String(), Type.Null()]) }),
  ),
  shipment: Type.Union([Shipment, Type.Null()]),
  cancel_reason: Type.Union([Type.String(), Type.Null()]),
  returns: Type.Array(ReturnView),
  created_at: Timestamp,
});

export const SellerOrderView = Type.Composite([
  OrderView,
  Type.Object({ buyer_id: Type.String(), commission: Money }),
]);

const Instructions = Type.Object(
  {
    bank: Type.Optional(Type.String()),
    va_number: Type.Optional(Type.String()),
    biller_code: Type.Optional(Type.String()),
    deeplink_url: Type.Optional(Type.String()),
    qr_string: Type.Optional(Type.String()),
    redirect_url: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
  },
  { description: "how to pay; only the method's fields are present" },
);

export const CheckoutView = Type.Object({
  checkout_id: Type.String(),
  orders: Type.Array(OrderView),
  payment: Type.Object({
    id: Type.String(),
    method: Type.String(),
    channel: Type.Union([Type.String(), Type.Null()]),
    status: Type.String({ description: "PENDING, SUCCEEDED, FAILED, EXPIRED" }),
    amount: Money,
    expires_at: Timestamp,
    instructions: Instructions,
  }),
});

export const ShipView = Type.Composite([Shipment, Type.Object({ order: SellerOrderView })]);

export const BalanceView = Type.Object({
  available: Money,
  pending: Money,
  payouts: Type.Array(
    Type.Object({
      order_id: Type.String(),
      gross: Money,
      commission: Money,
      net: Money,
      created_at: Timestamp,
    }),
  ),
});
