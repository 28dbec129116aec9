import { type Product, ProductStatus, type VariantDetail } from "@toko/contracts/toko/product/v1/product";
import type { CatalogShop, CatalogVariant } from "../application/model.ts";

/** The projection's status word for a catalog status. */
export function statusWord(status: ProductStatus): string {
  if (status === ProductStatus.PRODUCT_STATUS_ACTIVE) return "active";
  if (status === ProductStatus.PRODUCT_STATUS_ARCHIVED) return "archived";
  return "draft";
}

/** A GetVariants entry as a projected variant. */
export function variantFromDetail(d: VariantDetail): CatalogVariant | null {
  const v = d.variant;
  if (!v) return null;
  return {
    variantId: v.id,
    productId: d.productId,
    shopId: d.shopId,
    sku: v.sku,
    title: d.productTitle,
    options: v.options.map((o) => ({ name: o.name, value: o.value })),
    imageUrl: d.imageUrl,
    price: v.price?.amount ?? 0,
    productStatus: statusWord(d.productStatus),
    active: d.active,
    stockBadge: v.stockStatus || "unknown",
    weightGrams: d.weightGrams,
    lengthCm: d.lengthCm,
    widthCm: d.widthCm,
    heightCm: d.heightCm,
    minOrder: Math.max(1, d.minOrder),
  };
}

/** A product event's full product as projected variants (its active variants) and shop. */
export function stateFromProduct(p: Product): { variants: CatalogVariant[]; shop: CatalogShop | null } {
  const status = statusWord(p.status);
  return {
    variants: p.variants.map((v) => ({
      variantId: v.id,
      productId: p.id,
      shopId: p.shopId,
      sku: v.sku,
      title: p.title,
      options: v.options.map((o) => ({ name: o.name, value: o.value })),
      imageUrl: p.images[0] ?? "",
      price: v.price?.amount ?? 0,
      productStatus: status,
      active: true,
      stockBadge: v.stockStatus || "unknown",
      weightGrams: p.weightGrams,
      lengthCm: p.lengthCm,
      widthCm: p.widthCm,
      heightCm: p.heightCm,
      minOrder: Math.max(1, p.minOrder),
    })),
    shop: p.shopCity ? { shopId: p.shopId, name: p.shopName, city: p.shopCity, province: "" } : null,
  };
}
