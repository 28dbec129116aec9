import type { Static } from "@sinclair/typebox";
import { type SearchHit, type SearchServiceClient, SortOrder } from "@toko/contracts/toko/search/v1/search";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpProblem } from "../../problem.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  problems,
  RecommendationsQuery,
  RecommendationsView,
  SearchQuery,
  SearchView,
  SuggestQuery,
  SuggestView,
} from "./schemas.ts";

const tags = ["Search"];
const SORTS: Record<string, SortOrder> = {
  relevance: SortOrder.SORT_ORDER_RELEVANCE,
  price_asc: SortOrder.SORT_ORDER_PRICE_ASC,
  price_desc: SortOrder.SORT_ORDER_PRICE_DESC,
  newest: SortOrder.SORT_ORDER_NEWEST,
  best_selling: SortOrder.SORT_ORDER_BEST_SELLING,
};

function itemJson(h: SearchHit) {
  return {
    id: h.productId,
    title: h.title,
    highlight: h.highlight,
    price: { amount: Number(h.price?.amount ?? 0), currency: h.price?.currency || "IDR" },
    rating: { average: h.ratingAverage, count: Number(h.ratingCount) },
    shop: { id: h.shopId, name: h.shopName, slug: h.shopSlug },
    city: h.city,
    image_url: h.imageUrl === "" ? null : h.imageUrl,
    sold_count: Number(h.soldCount),
    in_stock: h.inStock,
    category_id: h.categoryId,
  };
}

const guest = (request: FastifyRequest) => ({ principal: null, requestId: request.id });

/** Product search, autocomplete and recommendations: public reads, routed to `search`. */
export function registerSearchRoutes(app: FastifyInstance, upstream: Upstream<SearchServiceClient>): void {
  const search = upstream.client;

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    "/api/v1/search",
    {
      config: { auth: "none" },
      schema: {
        tags,
        summary: "Active products matching words and filters, ranked, with facet counts over the whole match",
        querystring: SearchQuery,
        response: { 200: SearchView, ...problems(400, 422, 429, 503, 504) },
      },
    },
    async (request) => {
      const q = request.query;
      const res = await search.search(
        {
          query: q.q ?? "",
          categoryId: q.category ?? "",
          minPrice: q.min_price,
          maxPrice: q.max_price,
          minRating: q.min_rating ?? 0,
          city: q.city ?? "",
          inStock: q.in_stock ?? false,
          sort: SORTS[q.sort ?? "relevance"] ?? SortOrder.SORT_ORDER_RELEVANCE,
          page: { limit: q.limit ?? 20, cursor: q.cursor ?? "" },
        },
        guest(request),
      );
      return {
        items: res.hits.map(itemJson),
        facets: {
          category: res.facets?.category.map(facetJson) ?? [],
          city: res.facets?.city.map(facetJson) ?? [],
          price_range: res.facets?.priceRange.map(facetJson) ?? [],
          rating: res.facets?.rating.map(facetJson) ?? [],
        },
        total: Number(res.total),
        next_cursor: res.page?.nextCursor ? res.page.nextCursor : null,
        corrected_query: res.correctedQuery === "" ? null : res.correctedQuery,
      };
    },
  );

  app.get<{ Querystring: Static<typeof SuggestQuery> }>(
    "/api/v1/search/suggest",
    {
      config: { auth: "none" },
      schema: {
        tags,
        summary: "Autocomplete: categories and product phrases for what has been typed",
        querystring: SuggestQuery,
        response: { 200: SuggestView, ...problems(422, 429, 503, 504) },
      },
    },
    async (request) => {
      const res = await search.suggest(
        { query: request.query.q, limit: request.query.limit ?? 8 },
        guest(request),
      );
      return {
        items: res.suggestions.map((s) => ({
          text: s.text,
          kind: s.kind,
          category_id: s.categoryId === "" ? null : s.categoryId,
          count: Number(s.count),
        })),
      };
    },
  );

  app.get<{ Querystring: Static<typeof RecommendationsQuery> }>(
    "/api/v1/recommendations",
    {
      // Public for a product page; `for=me` needs a signed-in user (checked below and by the service).
      config: { auth: "none" },
      schema: {
        tags,
        summary: "Similar and bought-together products for a product, or personal recommendations (for=me)",
        security: [{}, { bearer: [] }],
        querystring: RecommendationsQuery,
        response: { 200: RecommendationsView, ...problems(401, 422, 429, 503, 504) },
      },
    },
    async (request) => {
      const q = request.query;
      const forMe = q.for === "me";
      if (forMe === (q.product_id !== undefined)) {
        throw new HttpProblem(422, "VALIDATION_FAILED", "give exactly one of product_id and for=me");
      }
      if (forMe && !request.principal) {
        throw new HttpProblem(401, "UNAUTHENTICATED", "sign in for personal recommendations");
      }
      const res = await search.getRecommendations(
        { productId: q.product_id ?? "", forMe, limit: q.limit ?? 12 },
        forMe ? { principal: request.principal as never, requestId: request.id } : guest(request),
      );
      return {
        sections: res.sections.map((s) => ({ kind: s.kind, source: s.source, items: s.items.map(itemJson) })),
      };
    },
  );
}

function facetJson(f: { value: string; label: string; count: number }) {
  return { value: f.value, label: f.label, count: Number(f.count) };
}
