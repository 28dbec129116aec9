import type { Static } from "@sinclair/typebox";
import type { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { listResponse } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import type { ProductCache } from "./product-cache.ts";
import {
  CategoryList,
  CreateProductBody,
  OpenShopBody,
  ProductList,
  ProductParams,
  ProductQuery,
  ProductView,
  problems,
  ShopParams,
  ShopView,
} from "./schemas.ts";
import {
  attributesIn,
  categoryJson,
  conditionIn,
  productJson,
  shopJson,
  statusIn,
  variantsIn,
} from "./views.ts";

const tags = ["Shops and catalog"];
const security = [{ bearer: [] }];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ProductJson = ReturnType<typeof productJson>;
type Client = Upstream<ProductServiceClient>["client"];

/** Call options carrying the caller (or nobody) and the request id. */
export const as = (request: FastifyRequest) => ({ principal: request.principal, requestId: request.id });

/** Shops, categories and product reads/writes. */
export function registerCatalogRoutes(
  app: FastifyInstance,
  product: Client,
  cache: ProductCache<ProductJson>,
): void {
  app.post<{ Body: Static<typeof OpenShopBody> }>(
    "/api/v1/shops",
    {
      config: { auth: "user" },
      schema: {
        tags,
        security,
        summary: "Open a shop; the caller gains the seller role",
        body: OpenShopBody,
        response: { 201: ShopView, ...problems(400, 401, 409, 422, 503, 504) },
      },
    },
    async (request, reply) => {
      const { shop } = await product.openShop(
        { ...request.body, description: request.body.description ?? "" },
        as(request),
      );
      return reply.code(201).send(shopJson(shop));
    },
  );

  app.get<{ Params: Static<typeof ShopParams> }>(
    "/api/v1/shops/:slug",
    {
      schema: {
        tags,
        summary: "Shop page data",
        params: ShopParams,
        response: { 200: ShopView, ...problems(404, 422, 503) },
      },
    },
    async (request) =>
      shopJson((await product.getShop({ slug: request.params.slug, shopId: "" }, as(request))).shop),
  );

  app.get(
    "/api/v1/categories",
    { schema: { tags, summary: "The category tree", response: { 200: CategoryList, ...problems(503) } } },
    async (request) => ({
      items: (await product.listCategories({}, as(request))).categories.map(categoryJson),
    }),
  );

  app.get<{ Querystring: Static<typeof ProductQuery> }>(
    "/api/v1/products",
    {
      schema: {
        tags,
        summary: "Active products, newest first",
        querystring: ProductQuery,
        response: { 200: ProductList, ...problems(404, 422, 503) },
      },
    },
    async (request) => {
      const { shop, category, limit, cursor } = request.query;
      let shopId = shop ?? "";
      if (shopId !== "" && !UUID.test(shopId)) {
        shopId = (await product.getShop({ slug: shopId, shopId: "" }, as(request))).shop?.id ?? "";
      }
      let categoryId = category ?? "";
      if (categoryId !== "" && !/^\d+$/.test(categoryId)) {
        categoryId =
          (await product.getCategory({ categoryId: "", slug: categoryId }, as(request))).category?.id ?? "";
      }
      const res = await product.listProducts(
        { shopId, categoryId, page: { limit: limit ?? 20, cursor: cursor ?? "" } },
        as(request),
      );
      return listResponse(res.products.map(productJson), res.page);
    },
  );

  app.get<{ Params: Static<typeof ProductParams> }>(
    "/api/v1/products/:id",
    {
      schema: {
        tags,
        summary: "One product with its variants",
        params: ProductParams,
        response: { 200: ProductView, ...problems(404, 422, 503) },
      },
    },
    async (request) => {
      const id = request.params.id.toLowerCase();
      const load = async () =>
        productJson((await product.getProduct({ productId: id }, as(request))).product);
      // Signed-in callers may see their own drafts: they never share a load with anonymous ones.
      if (request.principal) return load();
      return cache.get(id, load, (p) => p.status !== "draft");
    },
  );

  app.post<{ Body: Static<typeof CreateProductBody> }>(
    "/api/v1/products",
    {
      config: { auth: "user" },
      schema: {
        tags,
        security,
        summary: "Create a product in the caller's shop",
        body: CreateProductBody,
        response: { 201: ProductView, ...problems(400, 401, 403, 409, 422, 503, 504) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { product: created } = await product.createProduct(
        {
          title: b.title,
          description: b.description,
          categoryId: b.category_id,
          condition: conditionIn(b.condition) ?? 0,
          weightGrams: b.weight_grams,
          lengthCm: b.length_cm ?? 0,
          widthCm: b.width_cm ?? 0,
          heightCm: b.height_cm ?? 0,
          minOrder: b.min_order ?? 1,
          images: b.images ?? [],
          attributes: attributesIn(b.attributes),
          variants: variantsIn(b.variants),
          status: statusIn(b.status) ?? 0,
        },
        as(request),
      );
      const view = productJson(created);
      return reply.code(201).header("location", `/api/v1/products/${view.id}`).send(view);
    },
  );
}

/** Maps the PATCH body onto UpdateProduct (unset fields stay as they are). */
export function updateRequest(id: string, b: Partial<Static<typeof CreateProductBody>>) {
  return {
    productId: id,
    title: b.title,
    description: b.description,
    categoryId: b.category_id,
    condition: conditionIn(b.condition),
    weightGrams: b.weight_grams,
    lengthCm: b.length_cm,
    widthCm: b.width_cm,
    heightCm: b.height_cm,
    minOrder: b.min_order,
    images: b.images ? { values: b.images } : undefined,
    attributes: b.attributes ? { attributes: attributesIn(b.attributes) } : undefined,
    variants: b.variants ? { variants: variantsIn(b.variants) } : undefined,
    status: statusIn(b.status),
  };
}
