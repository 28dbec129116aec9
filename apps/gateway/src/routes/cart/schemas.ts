import { Type } from "@sinclair/typebox";
import { PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.Literal("IDR") });
const Id = Type.String({ minLength: 1, maxLength: 128 });
const Rupiah = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description });
const Timestamp = Type.String({ format: "date-time" });

/** The guest cart token header (the cookie carries the same token). */
export const CART_TOKEN_HEADER = "x-cart-token";

export const VariantParams = Type.Object({ variant_id: pathId() });
export const CodeParams = Type.Object({ code: pathId({ maxLength: 64 }) });

export const AddItemBody = Type.Object(
  { variant_id: Id, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
  { additionalProperties: false },
);
export const QuantityBody = Type.Object(
  { quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
  { additionalProperties: false },
);
export const MergeBody = Type.Object(
  { cart_token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const VoucherCodeBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const ShippingOptionsQuery = Type.Object({ address_id: Id });

const CartLine = Type.Object({
  variant_id: Type.String(),
  product_id: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  options: Type.Record(Type.String(), Type.String()),
  image_url: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  unit_price: Money,
  line_total: Money,
  stock_status: Type.String({ description: "in_stock, low_stock, out_of_stock or unknown" }),
  problems: Type.Array(Type.String(), {
    description:
      "PRODUCT_ARCHIVED, PRODUCT_UNAVAILABLE, VARIANT_RETIRED, OUT_OF_STOCK, ABOVE_STOCK, BELOW_MIN_ORDER, PRICE_CHANGED; lines with any but PRICE_CHANGED are left out of the totals",
  }),
  price_when_added: Money,
  min_order: Type.Integer(),
  max_quantity: Type.Integer(),
  weight_grams: Type.Integer(),
});

/** `GET /api/v1/cart` as API.md defines it (plus shipping, totals per shop and voucher problems). */
export const CartView = Type.Object({
  shops: Type.Array(
    Type.Object({
      shop: Type.Object({ id: Type.String(), name: Type.String(), city: Type.String() }),
      lines: Type.Array(CartLine),
      subtotal: Money,
      discount: Money,
      shipping: Money,
      total: Money,
    }),
  ),
  vouchers: Type.Array(
    Type.Object({
      code: Type.String(),
      discount: Money,
      problem: Type.Union([Type.String(), Type.Null()], {
        description: "why it does not apply now (VOUCHER_*)",
      }),
    }),
  ),
  totals: Type.Object({
    subtotal: Money,
    discount: Money,
    shipping: Money,
    service_fee: Money,
    grand_total: Money,
  }),
  cart_token: Type.Optional(
    Type.String({ description: "only when this request created a guest cart; send it back as X-Cart-Token" }),
  ),
});

export const ShippingOptionsView = Type.Object({
  items: Type.Array(
    Type.Object({
      shop_id: Type.String(),
      options: Type.Array(
        Type.Object({
          id: Type.String(),
          carrier: Type.String(),
          service: Type.String(),
          price: Money,
          etd_days: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
        }),
      ),
    }),
  ),
});

/** A new voucher; amounts in integer rupiah. `scope` comes from the route (admin: platform; seller: shop). */
export const CreateVoucherBody = Type.Object(
  {
    code: Type.String({ minLength: 3, maxLength: 32, pattern: "^[A-Za-z0-9][A-Za-z0-9-]*$" }),
    kind: Type.Union([Type.Literal("percent"), Type.Literal("fixed"), Type.Literal("free_shipping")]),
    percent_off: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    amount: Type.Optional(Rupiah("fixed amount off, or the cap of a free-shipping voucher")),
    max_discount: Type.Optional(Rupiah("cap of a percent voucher")),
    min_spend: Type.Optional(Rupiah("least subtotal it applies to (its shop's, for a shop voucher)")),
    starts_at: Type.Optional(Timestamp),
    ends_at: Timestamp,
    total_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    per_user_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
  },
  { additionalProperties: false },
);

export const VoucherView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  scope: Type.String({ description: "platform or shop" }),
  shop_id: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  percent_off: Type.Union([Type.Integer(), Type.Null()]),
  amount: Type.Union([Money, Type.Null()]),
  max_discount: Type.Union([Money, Type.Null()]),
  min_spend: Money,
  starts_at: Timestamp,
  ends_at: Timestamp,
  total_limit: Type.Union([Type.Integer(), Type.Null()]),
  per_user_limit: Type.Union([Type.Integer(), Type.Null()]),
  used: Type.Integer({ description: "uses held by checkouts or redeemed by paid orders" }),
  created_at: Timestamp,
});

export { ListOf as Items } from "../../pagination.ts";
export { PageQuery };

/** Problem responses for the given statuses. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
