import type { ScheduleTerms } from "../domain/pricing.ts";
import type { Condition, Option, ProductStatus } from "../domain/product.ts";

/** A shop as stored. */
export interface ShopRecord {
  id: string;
  ownerId: string;
  slug: string;
  name: string;
  city: string;
  province: string;
  description: string;
  status: "open" | "closed";
  sellerRoleGranted: boolean;
  ratingSum: number;
  ratingCount: number;
  createdAt: Date;
}

/** Shop page data. */
export interface ShopView extends ShopRecord {
  rating: { average: number; count: number };
  productCount: number;
}

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  children: CategoryNode[];
}

export interface VariantRecord {
  id: string;
  productId: string;
  shopId: string;
  sku: string;
  options: Option[];
  basePrice: number;
  /** The effective price as last applied (what PriceChanged compares against). */
  currentPrice: number;
  currentScheduleId: string | null;
  stockStatus: string;
  position: number;
  active: boolean;
}

export interface ScheduleRecord extends ScheduleTerms {
  productId: string;
  variantId: string;
}

/** A product as stored, with its active variants and the schedules that matter at read time. */
export interface ProductRecord {
  id: string;
  shopId: string;
  categoryId: string;
  title: string;
  description: string;
  condition: Condition;
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  minOrder: number;
  images: string[];
  attributes: Option[];
  status: ProductStatus;
  ratingSum: number;
  ratingCount: number;
  soldCount: number;
  createdAt: Date;
  updatedAt: Date;
  shop: { slug: string; name: string; city: string; ownerId: string };
  variants: VariantRecord[];
  schedules: ScheduleRecord[];
  /** The next start or end of one of the product's schedules after the read instant, if any. */
  nextPriceChangeAt: Date | null;
}

export interface PricedVariant extends VariantRecord {
  price: number;
  priceScheduleId: string | null;
}

export interface CategoryRef {
  id: string;
  slug: string;
  name: string;
}

/** A product as shown to callers: variants priced at a given instant. */
export interface ProductView extends Omit<ProductRecord, "variants" | "schedules"> {
  variants: PricedVariant[];
  rating: { average: number; count: number };
  breadcrumbs: CategoryRef[];
}

export interface ReviewRecord {
  id: string;
  productId: string;
  shopId: string;
  buyerId: string;
  orderId: string;
  lineId: string;
  rating: number;
  text: string;
  variantLabel: string;
  createdAt: Date;
}

export interface PriceChange {
  productId: string;
  variantId: string;
  sku: string;
  shopId: string;
  previousPrice: number | null;
  price: number;
  basePrice: number;
  reason: "base_price" | "schedule_started" | "schedule_ended" | "schedule_created";
  scheduleId: string | null;
  effectiveAt: Date;
}

export interface PriceHistoryEntry {
  variantId: string;
  sku: string;
  price: number;
  previousPrice: number | null;
  reason: string;
  scheduleId: string | null;
  changedAt: Date;
  cursor: string;
}

/** A line of a completed order, as `OrderCompleted` reports it. */
export interface CompletedLine {
  lineId: string;
  productId: string;
  variantId: string;
  quantity: number;
}

export interface CompletedOrder {
  orderId: string;
  buyerId: string;
  shopId: string;
  completedAt: Date;
  lines: CompletedLine[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
