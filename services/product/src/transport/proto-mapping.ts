import type { Money } from "@toko/contracts/toko/common/v1/money";
import {
  type Category,
  type PriceHistoryEntry as PbPriceHistoryEntry,
  type PriceSchedule as PbPriceSchedule,
  type Product as PbProduct,
  type Review as PbReview,
  type Shop as PbShop,
  type Variant as PbVariant,
  ProductCondition,
  ProductStatus,
  ShopStatus,
  type VariantInput,
} from "@toko/contracts/toko/product/v1/product";
import type {
  CategoryNode,
  PricedVariant,
  PriceHistoryEntry,
  ProductView,
  ReviewRecord,
  ScheduleRecord,
  ShopView,
} from "../application/model.ts";
import type { Condition, ProductStatus as DomainStatus, VariantDraft } from "../domain/product.ts";

/** Rupiah as the contract's Money. */
export const idr = (amount: number): Money => ({ amount, currency: "IDR" });

export function conditionToProto(c: Condition): ProductCondition {
  return c === "used" ? ProductCondition.PRODUCT_CONDITION_USED : ProductCondition.PRODUCT_CONDITION_NEW;
}

export function conditionFromProto(c: ProductCondition): Condition | null {
  if (c === ProductCondition.PRODUCT_CONDITION_NEW) return "new";
  if (c === ProductCondition.PRODUCT_CONDITION_USED) return "used";
  return null;
}

const statusMap: Record<DomainStatus, ProductStatus> = {
  draft: ProductStatus.PRODUCT_STATUS_DRAFT,
  active: ProductStatus.PRODUCT_STATUS_ACTIVE,
  archived: ProductStatus.PRODUCT_STATUS_ARCHIVED,
};

export const statusToProto = (s: DomainStatus): ProductStatus => statusMap[s];

/** UNSPECIFIED means `fallback`; an unknown value maps to "archived", which validation refuses. */
export function statusFromProto(s: ProductStatus, fallback: DomainStatus): DomainStatus {
  if (s === ProductStatus.PRODUCT_STATUS_UNSPECIFIED) return fallback;
  if (s === ProductStatus.PRODUCT_STATUS_DRAFT) return "draft";
  if (s === ProductStatus.PRODUCT_STATUS_ACTIVE) return "active";
  return "archived";
}

export function variantInputFromProto(v: VariantInput): VariantDraft {
  return { sku: v.sku, options: v.options, price: v.price?.amount ?? 0, currency: v.price?.currency ?? "" };
}

export function shopToProto(s: ShopView): PbShop {
  return {
    id: s.id,
    ownerId: s.ownerId,
    slug: s.slug,
    name: s.name,
    city: s.city,
    province: s.province,
    description: s.description,
    status: s.status === "open" ? ShopStatus.SHOP_STATUS_OPEN : ShopStatus.SHOP_STATUS_CLOSED,
    rating: s.rating,
    productCount: s.productCount,
    createdAt: s.createdAt,
  };
}

export function categoryToProto(c: CategoryNode): Category {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    parentId: c.parentId ?? "",
    children: c.children.map(categoryToProto),
  };
}

export function variantToProto(v: PricedVariant): PbVariant {
  return {
    id: v.id,
    sku: v.sku,
    options: v.options,
    basePrice: idr(v.basePrice),
    price: idr(v.price),
    priceScheduleId: v.priceScheduleId ?? "",
    stockStatus: v.stockStatus,
  };
}

export function productToProto(p: ProductView): PbProduct {
  return {
    id: p.id,
    shopId: p.shopId,
    title: p.title,
    description: p.description,
    categoryId: p.categoryId,
    condition: conditionToProto(p.condition),
    weightGrams: p.weightGrams,
    lengthCm: p.lengthCm,
    widthCm: p.widthCm,
    heightCm: p.heightCm,
    minOrder: p.minOrder,
    images: p.images,
    attributes: p.attributes,
    variants: p.variants.map(variantToProto),
    status: statusToProto(p.status),
    rating: p.rating,
    soldCount: p.soldCount,
    breadcrumbs: p.breadcrumbs,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    shopSlug: p.shop.slug,
    shopName: p.shop.name,
    shopCity: p.shop.city,
  };
}

export function scheduleToProto(s: ScheduleRecord, sku: string): PbPriceSchedule {
  return {
    id: s.id,
    productId: s.productId,
    variantId: s.variantId,
    sku,
    price: s.price === null ? undefined : idr(s.price),
    percentOff: s.percentOff ?? 0,
    startsAt: s.startsAt,
    endsAt: s.endsAt ?? undefined,
    createdAt: s.createdAt,
  };
}

export function historyToProto(e: PriceHistoryEntry): PbPriceHistoryEntry {
  return {
    variantId: e.variantId,
    sku: e.sku,
    price: idr(e.price),
    previousPrice: e.previousPrice === null ? undefined : idr(e.previousPrice),
    reason: e.reason,
    priceScheduleId: e.scheduleId ?? "",
    changedAt: e.changedAt,
  };
}

export function reviewToProto(r: ReviewRecord): PbReview {
  return {
    id: r.id,
    productId: r.productId,
    shopId: r.shopId,
    buyerId: r.buyerId,
    orderId: r.orderId,
    lineId: r.lineId,
    rating: r.rating,
    text: r.text,
    createdAt: r.createdAt,
    variantLabel: r.variantLabel,
  };
}
