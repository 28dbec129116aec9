import type {
  Category,
  PriceSchedule,
  Product,
  Review,
  Shop,
  VariantInput,
} from "@toko/contracts/toko/product/v1/product";
import { ProductCondition, ProductStatus } from "@toko/contracts/toko/product/v1/product";

const iso = (d: Date | undefined) => (d ?? new Date(0)).toISOString();
const money = (m: { amount: number; currency: string } | undefined) => ({
  amount: m?.amount ?? 0,
  currency: m?.currency || "IDR",
});
const toMap = (pairs: { name: string; value: string }[]) =>
  Object.fromEntries(pairs.map((p) => [p.name, p.value]));
const fromMap = (map: Record<string, string> | undefined) =>
  Object.entries(map ?? {}).map(([name, value]) => ({ name, value }));

const statusNames: Record<number, string> = {
  [ProductStatus.PRODUCT_STATUS_DRAFT]: "draft",
  [ProductStatus.PRODUCT_STATUS_ACTIVE]: "active",
  [ProductStatus.PRODUCT_STATUS_ARCHIVED]: "archived",
};

export function shopJson(s: Shop | undefined) {
  if (!s) throw new Error("the product service answered without a shop");
  return {
    id: s.id,
    owner_id: s.ownerId,
    slug: s.slug,
    name: s.name,
    city: s.city,
    province: s.province,
    description: s.description,
    status: s.status === 2 ? "closed" : "open",
    rating: s.rating ?? { average: 0, count: 0 },
    product_count: s.productCount,
    created_at: iso(s.createdAt),
  };
}

export interface CategoryJson {
  id: string;
  slug: string;
  name: string;
  children: CategoryJson[];
}

export function categoryJson(c: Category): CategoryJson {
  return { id: c.id, slug: c.slug, name: c.name, children: c.children.map(categoryJson) };
}

export function productJson(p: Product | undefined) {
  if (!p) throw new Error("the product service answered without a product");
  return {
    id: p.id,
    shop_id: p.shopId,
    shop: { slug: p.shopSlug, name: p.shopName, city: p.shopCity },
    title: p.title,
    description: p.description,
    category_id: p.categoryId,
    breadcrumbs: p.breadcrumbs,
    condition: p.condition === ProductCondition.PRODUCT_CONDITION_USED ? "used" : "new",
    weight_grams: p.weightGrams,
    length_cm: p.lengthCm,
    width_cm: p.widthCm,
    height_cm: p.heightCm,
    min_order: p.minOrder,
    images: p.images,
    attributes: toMap(p.attributes),
    status: statusNames[p.status] ?? "unknown",
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      options: toMap(v.options),
      price: money(v.price),
      base_price: money(v.basePrice),
      price_schedule_id: v.priceScheduleId === "" ? null : v.priceScheduleId,
      stock_status: v.stockStatus,
    })),
    rating: p.rating ?? { average: 0, count: 0 },
    sold_count: p.soldCount,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

export type PriceInput = number | { amount: number; currency?: string | undefined };

export function priceIn(p: PriceInput) {
  return typeof p === "number"
    ? { amount: p, currency: "IDR" }
    : { amount: p.amount, currency: p.currency ?? "IDR" };
}

export function variantsIn(
  variants: { sku: string; options?: Record<string, string>; price: PriceInput }[],
): VariantInput[] {
  return variants.map((v) => ({ sku: v.sku, options: fromMap(v.options), price: priceIn(v.price) }));
}

export const attributesIn = fromMap;

export function conditionIn(c: "new" | "used" | undefined): ProductCondition | undefined {
  if (c === undefined) return undefined;
  return c === "used" ? ProductCondition.PRODUCT_CONDITION_USED : ProductCondition.PRODUCT_CONDITION_NEW;
}

export function statusIn(s: "draft" | "active" | undefined): ProductStatus | undefined {
  if (s === undefined) return undefined;
  return s === "draft" ? ProductStatus.PRODUCT_STATUS_DRAFT : ProductStatus.PRODUCT_STATUS_ACTIVE;
}

export function scheduleJson(s: PriceSchedule | undefined) {
  if (!s) throw new Error("the product service answered without a schedule");
  return {
    id: s.id,
    product_id: s.productId,
    sku: s.sku,
    price: s.price ? money(s.price) : null,
    percent_off: s.percentOff === 0 ? null : s.percentOff,
    starts_at: iso(s.startsAt),
    ends_at: s.endsAt ? s.endsAt.toISOString() : null,
  };
}

export function reviewJson(r: Review | undefined) {
  if (!r) throw new Error("the product service answered without a review");
  return {
    id: r.id,
    product_id: r.productId,
    buyer_id: r.buyerId,
    rating: r.rating,
    text: r.text,
    variant: r.variantLabel,
    created_at: iso(r.createdAt),
  };
}
