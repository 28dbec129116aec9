import type { Selectable } from "kysely";
import type { CatalogVariant, VoucherRecord } from "../application/model.ts";
import type { VoucherKind, VoucherScope } from "../domain/voucher.ts";
import type { CartDatabase } from "./schema.ts";

type VoucherRow = Selectable<CartDatabase["vouchers"]>;

/** A voucher row (or its JSON inside a snapshot) as a record. */
export function voucherFromRow(r: VoucherRow | Record<string, unknown>): VoucherRecord {
  const row = r as VoucherRow;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: row.id,
    code: row.code,
    scope: row.scope as VoucherScope,
    shopId: row.shop_id,
    kind: row.kind as VoucherKind,
    percentOff: Number(row.percent_off),
    amount: Number(row.amount),
    maxDiscount: num(row.max_discount),
    minSpend: Number(row.min_spend),
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    totalLimit: num(row.total_limit),
    perUserLimit: num(row.per_user_limit),
    createdAt: new Date(row.created_at),
  };
}

/** A variant row (or its JSON inside a snapshot) as a record. */
export function variantFromRow(r: Record<string, unknown>): CatalogVariant {
  return {
    variantId: String(r.variant_id),
    productId: String(r.product_id),
    shopId: String(r.shop_id),
    sku: String(r.sku),
    title: String(r.title),
    options: (r.options ?? []) as { name: string; value: string }[],
    imageUrl: String(r.image_url),
    price: Number(r.price),
    productStatus: String(r.product_status),
    active: Boolean(r.active),
    stockBadge: String(r.stock_badge),
    weightGrams: Number(r.weight_grams),
    lengthCm: Number(r.length_cm),
    widthCm: Number(r.width_cm),
    heightCm: Number(r.height_cm),
    minOrder: Number(r.min_order),
  };
}

/** A voucher record as an insertable row. */
export function voucherRow(v: VoucherRecord, createdBy: string): VoucherRow {
  return {
    id: v.id,
    code: v.code,
    scope: v.scope,
    shop_id: v.shopId,
    kind: v.kind,
    percent_off: v.percentOff,
    amount: v.amount,
    max_discount: v.maxDiscount,
    min_spend: v.minSpend,
    starts_at: v.startsAt,
    ends_at: v.endsAt,
    total_limit: v.totalLimit,
    per_user_limit: v.perUserLimit,
    created_by: createdBy,
    created_at: v.createdAt,
  };
}
