import { DomainError, errors, type Principal, requireActingAs } from "@toko/kit";
import {
  assertEditable,
  checkProductDraft,
  type ProductDraft,
  type ProductStatus,
} from "../domain/product.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkCategoryId, checkId } from "./ids.ts";
import type { ProductView, VariantRecord } from "./model.ts";
import { loadOwned } from "./ownership.ts";
import type { CatalogTx } from "./ports.ts";
import { reprice } from "./pricing.ts";
import { productView } from "./product-view.ts";

async function checkCategory(deps: CatalogDeps, categoryId: string): Promise<void> {
  checkCategoryId("category_id", categoryId);
  const categories = await deps.categories();
  if (!categories.get(categoryId)) {
    throw new DomainError("invalid", "UNKNOWN_CATEGORY", `category ${categoryId} does not exist`, [
      { field: "category_id", message: "no such category" },
    ]);
  }
}

function newVariants(
  deps: CatalogDeps,
  productId: string,
  shopId: string,
  draft: ProductDraft,
  existing: VariantRecord[],
): VariantRecord[] {
  return draft.variants.map((v, position) => {
    const known = existing.find((e) => e.sku.toLowerCase() === v.sku.toLowerCase());
    return {
      id: known?.id ?? deps.newId(),
      productId,
      shopId,
      sku: v.sku,
      options: v.options,
      basePrice: v.price,
      currentPrice: known?.currentPrice ?? v.price,
      currentScheduleId: known?.currentScheduleId ?? null,
      stockStatus: known?.stockStatus ?? "unknown",
      position,
      active: true,
    };
  });
}

async function reload(deps: CatalogDeps, tx: CatalogTx, id: string): Promise<ProductView> {
  const record = await tx.products.lock(id);
  if (!record) throw errors.notFound("product");
  return productView(record, deps.clock.now(), await deps.categories());
}

/** Creates a product with its variants in the caller's shop; publishes ProductCreated. */
export async function createProduct(
  deps: CatalogDeps,
  principal: Principal,
  input: ProductDraft,
): Promise<ProductView> {
  requireActingAs(principal, "seller");
  const draft = checkProductDraft(input);
  await checkCategory(deps, draft.categoryId);
  return deps.uow.run(async (tx) => {
    const shop = await tx.shops.byOwner(principal.subject);
    if (!shop) throw new DomainError("permission_denied", "NO_SHOP", "open a shop before adding products");
    const id = deps.newId();
    const now = deps.clock.now();
    await tx.products.insert(id, shop.id, draft, now);
    const variants = newVariants(deps, id, shop.id, draft, []);
    await tx.products.saveVariants(id, shop.id, variants);
    for (const v of variants) {
      await tx.pricing.recordHistory({
        productId: id,
        variantId: v.id,
        sku: v.sku,
        shopId: shop.id,
        previousPrice: null,
        price: v.basePrice,
        basePrice: v.basePrice,
        reason: "base_price",
        scheduleId: null,
        effectiveAt: now,
      });
    }
    const view = await reload(deps, tx, id);
    await tx.events.productCreated(view);
    return view;
  });
}

/** The fields of an update; undefined leaves a field as it is. */
export type ProductPatch = { [K in keyof ProductDraft]?: ProductDraft[K] };

/** Changes a product (owner only); base-price changes reprice and publish PriceChanged. */
export async function updateProduct(
  deps: CatalogDeps,
  principal: Principal,
  productId: string,
  patch: ProductPatch,
): Promise<ProductView> {
  const id = checkId("product_id", productId);
  if (patch.categoryId !== undefined) await checkCategory(deps, patch.categoryId);
  return deps.uow.run(async (tx) => {
    const current = await loadOwned(tx, principal, id);
    assertEditable(current.status);
    const merged: ProductDraft = {
      title: patch.title ?? current.title,
      description: patch.description ?? current.description,
      categoryId: patch.categoryId ?? current.categoryId,
      condition: patch.condition === undefined ? current.condition : patch.condition,
      weightGrams: patch.weightGrams ?? current.weightGrams,
      lengthCm: patch.lengthCm ?? current.lengthCm,
      widthCm: patch.widthCm ?? current.widthCm,
      heightCm: patch.heightCm ?? current.heightCm,
      minOrder: patch.minOrder ?? current.minOrder,
      images: patch.images ?? current.images,
      attributes: patch.attributes ?? current.attributes,
      variants:
        patch.variants ??
        current.variants
          .filter((v) => v.active)
          .map((v) => ({ sku: v.sku, options: v.options, price: v.basePrice, currency: "IDR" })),
      status: (patch.status ?? current.status) as ProductStatus,
    };
    const draft = checkProductDraft(merged);
    const now = deps.clock.now();
    await tx.products.update(id, draft, now);
    if (patch.variants !== undefined) {
      const variants = newVariants(deps, id, current.shopId, draft, current.variants);
      await tx.products.saveVariants(id, current.shopId, variants);
      for (const v of variants) {
        const locked = await tx.pricing.lockVariant(v.id);
        if (locked) await reprice(tx, locked, now, "base_price");
      }
    }
    const view = await reload(deps, tx, id);
    await tx.events.productUpdated(view);
    return view;
  });
}

/** Archives a product (owner only): no longer listed or sold; publishes ProductArchived. */
export async function archiveProduct(
  deps: CatalogDeps,
  principal: Principal,
  productId: string,
): Promise<ProductView> {
  const id = checkId("product_id", productId);
  return deps.uow.run(async (tx) => {
    const current = await loadOwned(tx, principal, id);
    if (current.status !== "archived") {
      const now = deps.clock.now();
      await tx.products.setStatus(id, "archived", now);
      await tx.events.productArchived(id, current.shopId, now);
    }
    return reload(deps, tx, id);
  });
}
