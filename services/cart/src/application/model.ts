import type { VariantFacts } from "../domain/cart-line.ts";
import type { VoucherTerms, VoucherUsage } from "../domain/voucher.ts";

/** A variant as the cart's catalog projection holds it. */
export interface CatalogVariant {
  variantId: string;
  productId: string;
  shopId: string;
  sku: string;
  title: string;
  options: { name: string; value: string }[];
  imageUrl: string;
  price: number;
  /** "active", "archived" or "draft". */
  productStatus: string;
  active: boolean;
  stockBadge: string;
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  minOrder: number;
}

/** A shop as the projection holds it (the shipping origin). */
export interface CatalogShop {
  shopId: string;
  name: string;
  city: string;
  province: string;
}

/** One cart line with everything needed to show and price it. */
export interface LineSnapshot {
  variant: CatalogVariant;
  shop: CatalogShop;
  quantity: number;
  priceWhenAdded: number;
  /** Units available; null until inventory reports. */
  available: number | null;
  reorderPoint: number;
  /** When the line entered the cart (lines are shown in this order); null before it does. */
  addedAt: Date | null;
}

/** A stored voucher. */
export interface VoucherRecord extends VoucherTerms {
  id: string;
  createdAt: Date;
}

/** A voucher applied to a cart, with how much of it is taken (by all, by the cart's owner). */
export interface AppliedVoucherSnapshot {
  voucher: VoucherRecord;
  usage: VoucherUsage;
}

/** A cart as read in one statement: lines in the order added, vouchers in the order applied. */
export interface CartSnapshot {
  cartId: string;
  ownerId: string | null;
  updatedAt: Date;
  /** Raised by every change to the cart's lines or vouchers. */
  version: number;
  /** The catalog projection's version when read (raised by every change to it). */
  catalogVersion: number;
  lines: LineSnapshot[];
  vouchers: AppliedVoucherSnapshot[];
}

/** Which cart a call is about: the signed-in user's own, or a guest's by token. */
export type CartOwner = { kind: "user"; userId: string } | { kind: "guest"; token: string };

/** The facts the line rules need about a line's variant. */
export function factsOf(line: Pick<LineSnapshot, "variant" | "available" | "reorderPoint">): VariantFacts {
  return {
    price: line.variant.price,
    productStatus: line.variant.productStatus,
    active: line.variant.active,
    minOrder: line.variant.minOrder,
    available: line.available,
    stockBadge: line.variant.stockBadge,
    reorderPoint: line.reorderPoint,
  };
}

/** A page of items and the cursor of the next ("" on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string;
}
