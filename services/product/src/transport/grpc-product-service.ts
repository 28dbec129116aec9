import { type ProductServiceServer, ProductServiceService } from "@toko/contracts/toko/product/v1/product";
import { type ImplementedService, type ImplementOptions, implement, requirePrincipal } from "@toko/kit";
import type { CatalogDeps } from "../application/deps.ts";
import type { ProductView } from "../application/model.ts";
import { createPriceSchedule, listPriceSchedules, priceHistory } from "../application/pricing.ts";
import {
  batchGetProducts,
  getCategory,
  getProduct,
  getVariants,
  listCategories,
  listProducts,
} from "../application/product-queries.ts";
import { archiveProduct, createProduct, updateProduct } from "../application/products.ts";
import { listReviews, postReview } from "../application/reviews.ts";
import { getMyShop, getShop, openShop } from "../application/shops.ts";
import { getVariantsBySku } from "../application/variants-by-sku.ts";
import {
  categoryToProto,
  conditionFromProto,
  historyToProto,
  productToProto,
  reviewToProto,
  scheduleToProto,
  shopToProto,
  statusFromProto,
  statusToProto,
  variantInputFromProto,
  variantToProto,
} from "./proto-mapping.ts";

/** Milliseconds from `at` until the product's next scheduled price change; none when nothing is scheduled. */
const maxAgeMs = (p: ProductView, at: Date): number | undefined =>
  p.nextPriceChangeAt ? Math.max(0, p.nextPriceChangeAt.getTime() - at.getTime()) : undefined;

/**
 * Callable without a principal: the public catalog. GetVariants and GetVariantsBySku are for
 * services (cart, order, inventory), which call with their caller's or their own service principal.
 */
const publicMethods: ImplementOptions<ProductServiceServer> = {
  anonymous: [
    "getShop",
    "listCategories",
    "getCategory",
    "getProduct",
    "batchGetProducts",
    "listProducts",
    "getPriceHistory",
    "listReviews",
  ],
};

/** `toko.product.v1.ProductService` over the use cases: proto in, proto out, nothing else. */
export function productGrpcService(deps: CatalogDeps): ImplementedService {
  return implement<ProductServiceServer>(ProductServiceService, publicMethods, {
    async openShop(req, ctx) {
      const shop = await openShop(deps, requirePrincipal(ctx), req);
      return { shop: shopToProto(shop) };
    },
    async getShop(req) {
      return { shop: shopToProto(await getShop(deps, { slug: req.slug, id: req.shopId })) };
    },
    async getMyShop(_req, ctx) {
      return { shop: shopToProto(await getMyShop(deps, requirePrincipal(ctx))) };
    },
    async listCategories() {
      return { categories: (await listCategories(deps)).map(categoryToProto) };
    },
    async getCategory(req) {
      const { category, breadcrumbs } = await getCategory(deps, { id: req.categoryId, slug: req.slug });
      return { category: categoryToProto(category), breadcrumbs };
    },
    async createProduct(req, ctx) {
      const product = await createProduct(deps, requirePrincipal(ctx), {
        title: req.title,
        description: req.description,
        categoryId: req.categoryId,
        condition: conditionFromProto(req.condition),
        weightGrams: req.weightGrams,
        lengthCm: req.lengthCm,
        widthCm: req.widthCm,
        heightCm: req.heightCm,
        minOrder: req.minOrder === 0 ? 1 : req.minOrder,
        images: req.images,
        attributes: req.attributes,
        variants: req.variants.map(variantInputFromProto),
        status: statusFromProto(req.status, "active"),
      });
      return { product: productToProto(product) };
    },
    async updateProduct(req, ctx) {
      const product = await updateProduct(deps, requirePrincipal(ctx), req.productId, {
        title: req.title,
        description: req.description,
        categoryId: req.categoryId,
        condition: req.condition === undefined ? undefined : conditionFromProto(req.condition),
        weightGrams: req.weightGrams,
        lengthCm: req.lengthCm,
        widthCm: req.widthCm,
        heightCm: req.heightCm,
        minOrder: req.minOrder,
        images: req.images?.values,
        attributes: req.attributes?.attributes,
        variants: req.variants?.variants.map(variantInputFromProto),
        status: req.status === undefined ? undefined : statusFromProto(req.status, "archived"),
      });
      return { product: productToProto(product) };
    },
    async archiveProduct(req, ctx) {
      return { product: productToProto(await archiveProduct(deps, requirePrincipal(ctx), req.productId)) };
    },
    async getProduct(req, ctx) {
      const at = req.priceAt ?? deps.clock.now();
      const product = await getProduct(deps, ctx.principal, req.productId, at);
      return { product: productToProto(product), cacheMaxAgeMs: maxAgeMs(product, at) };
    },
    async batchGetProducts(req) {
      const at = deps.clock.now();
      const { products, missingIds } = await batchGetProducts(deps, req.productIds, at);
      return {
        products: products.map((p) => ({ product: productToProto(p), cacheMaxAgeMs: maxAgeMs(p, at) })),
        missingIds,
      };
    },
    async listProducts(req) {
      const page = await listProducts(deps, {
        shopId: req.shopId,
        categoryId: req.categoryId,
        limit: req.page?.limit ?? 0,
        cursor: req.page?.cursor ?? "",
      });
      return { products: page.items.map(productToProto), page: { nextCursor: page.nextCursor ?? "" } };
    },
    async getVariants(req) {
      const rows = await getVariants(deps, req.variantIds, req.priceAt ?? null);
      return {
        variants: rows.map(({ variant, product }) => ({
          variant: variantToProto(variant),
          productId: product.id,
          shopId: product.shopId,
          productTitle: product.title,
          productStatus: statusToProto(product.status),
          weightGrams: product.weightGrams,
          lengthCm: product.lengthCm,
          widthCm: product.widthCm,
          heightCm: product.heightCm,
          minOrder: product.minOrder,
          imageUrl: product.images[0] ?? "",
          active: variant.active,
        })),
      };
    },
    async getVariantsBySku(req, ctx) {
      const { variants, unknownSkus } = await getVariantsBySku(deps, requirePrincipal(ctx), req);
      return {
        variants: variants.map((v) => ({
          sku: v.sku,
          requestedSku: v.requestedSku,
          variantId: v.variantId,
          productId: v.productId,
          productStatus: statusToProto(v.productStatus),
          active: v.active,
        })),
        unknownSkus,
      };
    },
    async createPriceSchedule(req, ctx) {
      const schedule = await createPriceSchedule(deps, requirePrincipal(ctx), {
        productId: req.productId,
        sku: req.sku,
        price: req.price ? req.price.amount : null,
        percentOff: req.percentOff === 0 ? null : req.percentOff,
        startsAt: req.startsAt ?? new Date(Number.NaN),
        endsAt: req.endsAt ?? null,
      });
      return { schedule: scheduleToProto(schedule, req.sku) };
    },
    async listPriceSchedules(req, ctx) {
      const principal = requirePrincipal(ctx);
      const [schedules, product] = await Promise.all([
        listPriceSchedules(deps, principal, req.productId),
        getProduct(deps, principal, req.productId, null),
      ]);
      const skuOf = new Map(product.variants.map((v) => [v.id, v.sku]));
      return { schedules: schedules.map((s) => scheduleToProto(s, skuOf.get(s.variantId) ?? "")) };
    },
    async getPriceHistory(req) {
      const page = await priceHistory(deps, req.productId, req.sku, {
        limit: req.page?.limit ?? 0,
        cursor: req.page?.cursor ?? "",
      });
      return { entries: page.items.map(historyToProto), page: { nextCursor: page.nextCursor ?? "" } };
    },
    async postReview(req, ctx) {
      const { review, productRating } = await postReview(deps, requirePrincipal(ctx), req);
      return { review: reviewToProto(review), productRating };
    },
    async listReviews(req) {
      const page = await listReviews(deps, req.productId, {
        limit: req.page?.limit ?? 0,
        cursor: req.page?.cursor ?? "",
      });
      return {
        reviews: page.items.map(reviewToProto),
        rating: page.rating,
        page: { nextCursor: page.nextCursor ?? "" },
      };
    },
  });
}
