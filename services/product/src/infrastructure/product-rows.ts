import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import type { ProductRecord, ScheduleRecord, ShopRecord, VariantRecord } from "../application/model.ts";
import type { Condition, Option, ProductStatus } from "../domain/product.ts";
import type { ProductDatabase } from "./schema.ts";

/**
 * The product read in ONE statement: the product, its shop, its variants and the schedules
 * running at `at`, aggregated as JSON, and when the next schedule starts or ends after `at`. This is the hot path behind GET /products/{id}.
 */
export function productSelect(at: Date, activeVariantsOnly: boolean): RawBuilder<unknown> {
  return sql`
    SELECT p.*, s.slug AS shop_slug, s.name AS shop_name, s.city AS shop_city, s.owner_id AS shop_owner_id,
      (SELECT coalesce(json_agg(json_build_object(
          'id', v.id, 'sku', v.sku, 'options', v.options, 'base_price', v.base_price,
          'current_price', v.current_price, 'current_schedule_id', v.current_schedule_id,
          'stock_status', v.stock_status, 'position', v.position, 'active', v.active
        ) ORDER BY v.position), '[]')
        FROM variants v WHERE v.product_id = p.id ${activeVariantsOnly ? sql`AND v.active` : sql``}) AS variants_json,
      (SELECT coalesce(json_agg(json_build_object(
          'id', ps.id, 'variant_id', ps.variant_id, 'price', ps.price, 'percent_off', ps.percent_off,
          'starts_at', ps.starts_at, 'ends_at', ps.ends_at, 'created_at', ps.created_at
        )), '[]')
        FROM price_schedules ps
        WHERE ps.product_id = p.id AND ps.starts_at <= ${at} AND (ps.ends_at IS NULL OR ps.ends_at > ${at})) AS schedules_json,
      -- The next instant a schedule starts or ends: until then the effective prices cannot change.
      (SELECT min(b.at) FROM price_schedules ps CROSS JOIN LATERAL (VALUES (ps.starts_at), (ps.ends_at)) AS b (at)
        WHERE ps.product_id = p.id AND b.at > ${at}) AS next_price_change_at
    FROM products p JOIN shops s ON s.id = p.shop_id`;
}

interface VariantJson {
  id: string;
  sku: string;
  options: Option[];
  base_price: number;
  current_price: number;
  current_schedule_id: string | null;
  stock_status: string;
  position: number;
  active: boolean;
}

interface ScheduleJson {
  id: string;
  variant_id: string;
  price: number | null;
  percent_off: number | null;
  starts_at: string;
  ends_at: string | null;
  created_at: string;
}

/** A row of `productSelect`. */
export interface ProductRow {
  id: string;
  shop_id: string;
  category_id: number;
  title: string;
  description: string;
  condition: string;
  weight_grams: number;
  length_cm: number;
  width_cm: number;
  height_cm: number;
  min_order: number;
  images: string[];
  attributes: Option[];
  status: string;
  rating_sum: number;
  rating_count: number;
  sold_count: number;
  created_at: Date;
  updated_at: Date;
  shop_slug: string;
  shop_name: string;
  shop_city: string;
  shop_owner_id: string;
  variants_json: VariantJson[];
  schedules_json: ScheduleJson[];
  next_price_change_at: Date | null;
}

export function variantFromJson(v: VariantJson, productId: string, shopId: string): VariantRecord {
  return {
    id: v.id,
    productId,
    shopId,
    sku: v.sku,
    options: v.options,
    // json_build_object renders bigint as a JSON number; amounts stay far below 2^53.
    basePrice: Number(v.base_price),
    currentPrice: Number(v.current_price),
    currentScheduleId: v.current_schedule_id,
    stockStatus: v.stock_status,
    position: v.position,
    active: v.active,
  };
}

export function scheduleFromJson(s: ScheduleJson, productId: string): ScheduleRecord {
  return {
    id: s.id,
    productId,
    variantId: s.variant_id,
    price: s.price === null ? null : Number(s.price),
    percentOff: s.percent_off,
    startsAt: new Date(s.starts_at),
    endsAt: s.ends_at === null ? null : new Date(s.ends_at),
    createdAt: new Date(s.created_at),
  };
}

export function productFromRow(r: ProductRow): ProductRecord {
  return {
    id: r.id,
    shopId: r.shop_id,
    categoryId: String(r.category_id),
    title: r.title,
    description: r.description,
    condition: r.condition as Condition,
    weightGrams: r.weight_grams,
    lengthCm: r.length_cm,
    widthCm: r.width_cm,
    heightCm: r.height_cm,
    minOrder: r.min_order,
    images: r.images,
    attributes: r.attributes,
    status: r.status as ProductStatus,
    ratingSum: r.rating_sum,
    ratingCount: r.rating_count,
    soldCount: r.sold_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    shop: { slug: r.shop_slug, name: r.shop_name, city: r.shop_city, ownerId: r.shop_owner_id },
    variants: r.variants_json.map((v) => variantFromJson(v, r.id, r.shop_id)),
    schedules: r.schedules_json.map((s) => scheduleFromJson(s, r.id)),
    nextPriceChangeAt: r.next_price_change_at,
  };
}

export function shopFromRow(r: Selectable<ProductDatabase["shops"]>): ShopRecord {
  return {
    id: r.id,
    ownerId: r.owner_id,
    slug: r.slug,
    name: r.name,
    city: r.city,
    province: r.province,
    description: r.description,
    status: r.status as ShopRecord["status"],
    sellerRoleGranted: r.seller_role_granted,
    ratingSum: r.rating_sum,
    ratingCount: r.rating_count,
    createdAt: r.created_at,
  };
}

/** Runs `productSelect` with a WHERE/ORDER tail; returns mapped records. */
export async function selectProducts(
  db: Kysely<ProductDatabase>,
  at: Date,
  tail: RawBuilder<unknown>,
  activeVariantsOnly = true,
): Promise<ProductRecord[]> {
  const { rows } = await sql<ProductRow>`${productSelect(at, activeVariantsOnly)} ${tail}`.execute(db);
  return rows.map(productFromRow);
}
