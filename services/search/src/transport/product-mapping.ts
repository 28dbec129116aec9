import { type Product, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import type { ProductDoc } from "../application/model.ts";

const STATUS: Record<number, ProductDoc["status"]> = {
  [ProductStatus.PRODUCT_STATUS_ACTIVE]: "active",
  [ProductStatus.PRODUCT_STATUS_ARCHIVED]: "archived",
};

/** The projection's view of a catalog product (from an event or a ListProducts page). */
export function docFromProduct(p: Product): ProductDoc {
  const createdAt = p.createdAt ?? new Date(0);
  return {
    productId: p.id,
    shopId: p.shopId,
    shopName: p.shopName,
    shopSlug: p.shopSlug,
    city: p.shopCity,
    title: p.title,
    description: p.description,
    attributeValues: p.attributes.map((a) => a.value),
    categoryId: p.categoryId,
    categoryPath:
      p.breadcrumbs.length > 0
        ? p.breadcrumbs.map((c) => ({ id: c.id, name: c.name }))
        : [{ id: p.categoryId, name: "" }],
    imageUrl: p.images[0] ?? "",
    status: STATUS[p.status] ?? "draft",
    ratingAverage: p.rating?.average ?? 0,
    ratingCount: Number(p.rating?.count ?? 0),
    soldCount: Number(p.soldCount),
    createdAt,
    updatedAt: p.updatedAt ?? createdAt,
    variants: p.variants.map((v) => ({
      variantId: v.id,
      sku: v.sku,
      price: Number(v.price?.amount ?? v.basePrice?.amount ?? 0),
      stockStatus: v.stockStatus || "unknown",
    })),
  };
}
