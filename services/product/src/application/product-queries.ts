import { errors, type Principal } from "@toko/kit";
import type { ProductStatus } from "../domain/product.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkCategoryId, checkId, isId, pageLimit } from "./ids.ts";
import type { CategoryNode, CategoryRef, Page, ProductView, VariantRecord } from "./model.ts";
import { productView } from "./product-view.ts";

/** One product priced at `at` (default now). Drafts are visible to their owner only. */
export async function getProduct(
  deps: CatalogDeps,
  principal: Principal | undefined,
  productId: string,
  at: Date | null,
): Promise<ProductView> {
  const id = checkId("product_id", productId);
  const when = at ?? deps.clock.now();
  const record = await deps.reads.product(id, when);
  if (!record || (record.status === "draft" && record.shop.ownerId !== principal?.subject)) {
    throw errors.notFound("product");
  }
  return productView(record, when, await deps.categories());
}

/** Most products one batch may ask for. */
export const MAX_BATCH_PRODUCTS = 100;

/**
 * Public product pages (drafts left out, whoever asks) priced at `at`, in request order and
 * each once, plus the ids that name no public product. One read for the whole batch.
 */
export async function batchGetProducts(
  deps: CatalogDeps,
  productIds: readonly string[],
  at: Date,
): Promise<{ products: ProductView[]; missingIds: string[] }> {
  if (productIds.length > MAX_BATCH_PRODUCTS) {
    throw errors.invalid(`at most ${MAX_BATCH_PRODUCTS} products at once`, [
      { field: "product_ids", message: `at most ${MAX_BATCH_PRODUCTS}` },
    ]);
  }
  const ids = [...new Set(productIds.map((id, i) => checkId(`product_ids[${i}]`, id)))];
  if (ids.length === 0) return { products: [], missingIds: [] };
  const [records, categories] = await Promise.all([deps.reads.products(ids, at), deps.categories()]);
  const byId = new Map(records.filter((r) => r.status !== "draft").map((r) => [r.id, r]));
  const products: ProductView[] = [];
  const missingIds: string[] = [];
  for (const id of ids) {
    const record = byId.get(id);
    if (record) products.push(productView(record, at, categories));
    else missingIds.push(id);
  }
  return { products, missingIds };
}

/** Active products newest first, by shop and/or category (with its subcategories). */
export async function listProducts(
  deps: CatalogDeps,
  filter: { shopId: string; categoryId: string; limit: number; cursor: string },
): Promise<Page<ProductView>> {
  const limit = pageLimit(filter.limit);
  const shopId = filter.shopId === "" ? null : checkId("shop_id", filter.shopId);
  let categoryIds: string[] | null = null;
  const categories = await deps.categories();
  if (filter.categoryId !== "") {
    const id = checkCategoryId("category_id", filter.categoryId);
    if (!categories.get(id)) throw errors.notFound("category");
    categoryIds = categories.subtreeIds(id);
  }
  if (filter.cursor !== "" && !isId(filter.cursor)) {
    throw errors.invalid("bad cursor", [{ field: "cursor", message: "is not a cursor from this list" }]);
  }
  const at = deps.clock.now();
  const statuses: ProductStatus[] = ["active"];
  const rows = await deps.reads.listProducts({
    shopId,
    categoryIds,
    statuses,
    after: filter.cursor === "" ? null : filter.cursor.toLowerCase(),
    limit: limit + 1,
    at,
  });
  const items = rows.slice(0, limit).map((r) => productView(r, at, categories));
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** Variants by id with their products, priced at `at`; unknown or malformed ids are omitted. */
export async function getVariants(
  deps: CatalogDeps,
  variantIds: string[],
  at: Date | null,
): Promise<
  { variant: VariantRecord & { price: number; priceScheduleId: string | null }; product: ProductView }[]
> {
  if (variantIds.length > 200)
    throw errors.invalid("at most 200 variants at once", [{ field: "variant_ids", message: "at most 200" }]);
  const ids = [...new Set(variantIds.filter(isId).map((v) => v.toLowerCase()))];
  if (ids.length === 0) return [];
  const when = at ?? deps.clock.now();
  const categories = await deps.categories();
  const rows = await deps.reads.variants(ids, when);
  return rows.map(({ variant, product }) => {
    const view = productView({ ...product, variants: [{ ...variant, active: true }] }, when, categories);
    const priced = view.variants[0];
    if (!priced) throw new Error("variant vanished while pricing");
    return { variant: { ...priced, active: variant.active }, product: view };
  });
}

/** The category tree. */
export async function listCategories(deps: CatalogDeps): Promise<readonly CategoryNode[]> {
  return (await deps.categories()).roots;
}

/** One category (by id or slug) and its breadcrumbs. */
export async function getCategory(
  deps: CatalogDeps,
  by: { id: string; slug: string },
): Promise<{ category: CategoryNode; breadcrumbs: CategoryRef[] }> {
  const categories = await deps.categories();
  const category =
    by.id !== "" ? categories.get(checkCategoryId("category_id", by.id)) : categories.getBySlug(by.slug);
  if (!category) throw errors.notFound("category");
  return { category, breadcrumbs: categories.breadcrumbs(category.id) };
}
