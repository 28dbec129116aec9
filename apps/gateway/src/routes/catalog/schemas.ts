import { Type } from "@sinclair/typebox";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

export { PageQuery } from "../../pagination.ts";

export const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
/** Request prices: `{ amount, currency? }` or a plain integer of rupiah. */
export const PriceInput = Type.Union([
  Type.Integer(),
  Type.Object({ amount: Type.Integer(), currency: Type.Optional(Type.String({ maxLength: 3 })) }),
]);
const Rating = Type.Object({ average: Type.Number(), count: Type.Integer() });
const OptionsMap = Type.Record(Type.String(), Type.String());

export const ShopView = Type.Object({
  id: Type.String(),
  owner_id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  city: Type.String(),
  province: Type.String(),
  description: Type.String(),
  status: Type.String(),
  rating: Rating,
  product_count: Type.Integer(),
  created_at: Type.String({ format: "date-time" }),
});

export const OpenShopBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    slug: Type.String({ maxLength: 100 }),
    city: Type.String({ maxLength: 200 }),
    province: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5_000 })),
  },
  { additionalProperties: false },
);

export const CategoryTree = Type.Recursive(
  (Self) =>
    Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), children: Type.Array(Self) }),
  { $id: "CategoryNode" },
);
export const CategoryList = Type.Object({ items: Type.Array(CategoryTree) });

const VariantView = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  options: OptionsMap,
  price: Money,
  base_price: Money,
  price_schedule_id: Type.Union([Type.String(), Type.Null()]),
  stock_status: Type.String(),
});

export const ProductView = Type.Object({
  id: Type.String(),
  shop_id: Type.String(),
  shop: Type.Object({ slug: Type.String(), name: Type.String(), city: Type.String() }),
  title: Type.String(),
  description: Type.String(),
  category_id: Type.String(),
  breadcrumbs: Type.Array(Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() })),
  condition: Type.String(),
  weight_grams: Type.Integer(),
  length_cm: Type.Integer(),
  width_cm: Type.Integer(),
  height_cm: Type.Integer(),
  min_order: Type.Integer(),
  images: Type.Array(Type.String()),
  attributes: OptionsMap,
  status: Type.String(),
  variants: Type.Array(VariantView),
  rating: Rating,
  sold_count: Type.Integer(),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
});

export const ProductList = Type.Object({
  items: Type.Array(ProductView),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

const VariantInput = Type.Object(
  { sku: Type.String({ maxLength: 100 }), options: Type.Optional(OptionsMap), price: PriceInput },
  { additionalProperties: false },
);

const productFields = {
  title: Type.String({ maxLength: 1_000 }),
  description: Type.String({ maxLength: 20_000 }),
  category_id: Type.String({ maxLength: 20 }),
  condition: Type.Union([Type.Literal("new"), Type.Literal("used")]),
  weight_grams: Type.Integer(),
  length_cm: Type.Integer(),
  width_cm: Type.Integer(),
  height_cm: Type.Integer(),
  min_order: Type.Integer(),
  images: Type.Array(Type.String({ maxLength: 4_096 }), { maxItems: 50 }),
  attributes: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1_000 })),
  variants: Type.Array(VariantInput, { maxItems: 200 }),
  status: Type.Union([Type.Literal("draft"), Type.Literal("active")]),
};

export const CreateProductBody = Type.Object(
  {
    ...productFields,
    length_cm: Type.Optional(productFields.length_cm),
    width_cm: Type.Optional(productFields.width_cm),
    height_cm: Type.Optional(productFields.height_cm),
    min_order: Type.Optional(productFields.min_order),
    images: Type.Optional(productFields.images),
    attributes: Type.Optional(productFields.attributes),
    status: Type.Optional(productFields.status),
  },
  { additionalProperties: false },
);

export const UpdateProductBody = Type.Partial(Type.Object(productFields), { additionalProperties: false });

export const ProductParams = Type.Object({ id: pathId({ uuid: true }) });
export const ShopParams = Type.Object({ slug: pathId({ maxLength: 100 }) });

export const ProductQuery = Type.Object({
  shop: Type.Optional(Type.String({ maxLength: 100, description: "shop slug or id" })),
  category: Type.Optional(Type.String({ maxLength: 100, description: "category slug or id" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

export const ScheduleBody = Type.Object(
  {
    sku: Type.String({ maxLength: 100 }),
    price: Type.Optional(PriceInput),
    percent_off: Type.Optional(Type.Integer()),
    starts_at: Type.String({ format: "date-time" }),
    ends_at: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);

export const ScheduleView = Type.Object({
  id: Type.String(),
  product_id: Type.String(),
  sku: Type.String(),
  price: Type.Union([Money, Type.Null()]),
  percent_off: Type.Union([Type.Integer(), Type.Null()]),
  starts_at: Type.String({ format: "date-time" }),
  ends_at: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

export const ScheduleList = Type.Object({ items: Type.Array(ScheduleView) });

export const ReviewBody = Type.Object(
  {
    rating: Type.Integer(),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
    order_id: Type.Optional(Type.String({ maxLength: 100 })),
    line_id: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const ReviewView = Type.Object({
  id: Type.String(),
  product_id: Type.String(),
  buyer_id: Type.String(),
  rating: Type.Integer(),
  text: Type.String(),
  variant: Type.String(),
  created_at: Type.String({ format: "date-time" }),
});

export const ReviewList = Type.Object({
  items: Type.Array(ReviewView),
  rating: Rating,
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

/** Problem responses for the listed statuses. */
export function problems(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
