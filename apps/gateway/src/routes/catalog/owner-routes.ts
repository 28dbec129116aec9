import type { Static } from "@sinclair/typebox";
import type { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import type { FastifyInstance } from "fastify";
import { buyerOnly, sellerOnly } from "../../auth/route-rules.ts";
import { listResponse } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import { as, updateRequest } from "./catalog-routes.ts";
import type { ProductPageCache } from "./product-cache.ts";
import {
  PageQuery,
  ProductParams,
  ProductView,
  problems,
  ReviewBody,
  ReviewList,
  ReviewView,
  ScheduleBody,
  ScheduleList,
  ScheduleView,
  UpdateProductBody,
} from "./schemas.ts";
import { priceIn, productJson, reviewJson, scheduleJson } from "./views.ts";

const tags = ["Shops and catalog"];
const security = [{ bearer: [] }];
type Client = Upstream<ProductServiceClient>["client"];

/** Owner writes (edit, archive, price schedules) and reviews; each write evicts the cached page. */
export function registerOwnerRoutes(app: FastifyInstance, product: Client, cache: ProductPageCache): void {
  const owner = { auth: sellerOnly };
  const writeProblems = problems(400, 401, 403, 404, 409, 422, 503, 504);

  app.patch<{ Params: Static<typeof ProductParams>; Body: Static<typeof UpdateProductBody> }>(
    "/api/v1/products/:id",
    {
      config: owner,
      schema: {
        tags,
        security,
        summary: "Change a product (owner)",
        params: ProductParams,
        body: UpdateProductBody,
        response: { 200: ProductView, ...writeProblems },
      },
    },
    async (request) => {
      const res = await product.updateProduct(updateRequest(request.params.id, request.body), as(request));
      cache.evict(request.params.id.toLowerCase());
      return productJson(res.product);
    },
  );

  app.delete<{ Params: Static<typeof ProductParams> }>(
    "/api/v1/products/:id",
    {
      config: owner,
      schema: {
        tags,
        security,
        summary: "Archive a product (owner)",
        params: ProductParams,
        response: { 200: ProductView, ...writeProblems },
      },
    },
    async (request) => {
      const res = await product.archiveProduct({ productId: request.params.id }, as(request));
      cache.evict(request.params.id.toLowerCase());
      return productJson(res.product);
    },
  );

  app.post<{ Params: Static<typeof ProductParams>; Body: Static<typeof ScheduleBody> }>(
    "/api/v1/products/:id/price-schedules",
    {
      config: owner,
      schema: {
        tags,
        security,
        summary: "Schedule a discount or flash sale for one SKU (owner)",
        params: ProductParams,
        body: ScheduleBody,
        response: { 201: ScheduleView, ...writeProblems },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { schedule } = await product.createPriceSchedule(
        {
          productId: request.params.id,
          sku: b.sku,
          price: b.price === undefined ? undefined : priceIn(b.price),
          percentOff: b.percent_off ?? 0,
          startsAt: new Date(b.starts_at),
          endsAt: b.ends_at ? new Date(b.ends_at) : undefined,
        },
        as(request),
      );
      cache.evict(request.params.id.toLowerCase());
      return reply.code(201).send(scheduleJson(schedule));
    },
  );

  app.get<{ Params: Static<typeof ProductParams> }>(
    "/api/v1/products/:id/price-schedules",
    {
      config: owner,
      schema: {
        tags,
        security,
        summary: "A product's price schedules, newest first (owner)",
        params: ProductParams,
        response: { 200: ScheduleList, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) => {
      const { schedules } = await product.listPriceSchedules({ productId: request.params.id }, as(request));
      return { items: schedules.map(scheduleJson) };
    },
  );

  app.get<{ Params: Static<typeof ProductParams>; Querystring: Static<typeof PageQuery> }>(
    "/api/v1/products/:id/reviews",
    {
      schema: {
        tags,
        summary: "A product's reviews, newest first",
        params: ProductParams,
        querystring: PageQuery,
        response: { 200: ReviewList, ...problems(404, 422, 503) },
      },
    },
    async (request) => {
      const res = await product.listReviews(
        {
          productId: request.params.id,
          page: { limit: request.query.limit ?? 20, cursor: request.query.cursor ?? "" },
        },
        as(request),
      );
      return {
        ...listResponse(res.reviews.map(reviewJson), res.page),
        rating: res.rating ?? { average: 0, count: 0 },
      };
    },
  );

  app.post<{ Params: Static<typeof ProductParams>; Body: Static<typeof ReviewBody> }>(
    "/api/v1/products/:id/reviews",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Review a purchased product (buyer of a completed order)",
        params: ProductParams,
        body: ReviewBody,
        response: { 201: ReviewView, ...writeProblems },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { review } = await product.postReview(
        {
          productId: request.params.id,
          rating: b.rating,
          text: b.text ?? "",
          orderId: b.order_id ?? "",
          lineId: b.line_id ?? "",
        },
        as(request),
      );
      cache.evict(request.params.id.toLowerCase());
      return reply.code(201).send(reviewJson(review));
    },
  );
}
