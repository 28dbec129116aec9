import {
  type SearchHit,
  type SearchServiceServer,
  SearchServiceService,
  SortOrder,
} from "@toko/contracts/toko/search/v1/search";
import { errors, type ImplementOptions, implement } from "@toko/kit";
import type { ProductSummary } from "../application/model.ts";
import type { Wishlists } from "../application/ports.ts";
import { requireUser, type SearchService } from "../application/search.ts";
import type { SortOrder as Sort } from "../domain/query.ts";

const SORTS: Record<number, Sort> = {
  [SortOrder.SORT_ORDER_UNSPECIFIED]: "relevance",
  [SortOrder.SORT_ORDER_RELEVANCE]: "relevance",
  [SortOrder.SORT_ORDER_PRICE_ASC]: "price_asc",
  [SortOrder.SORT_ORDER_PRICE_DESC]: "price_desc",
  [SortOrder.SORT_ORDER_NEWEST]: "newest",
  [SortOrder.SORT_ORDER_BEST_SELLING]: "best_selling",
};

/** A product summary as the contract shows it. */
export function toHit(p: ProductSummary): SearchHit {
  return {
    productId: p.productId,
    title: p.title,
    highlight: p.highlight,
    price: { amount: p.price, currency: "IDR" },
    ratingAverage: p.ratingAverage,
    ratingCount: p.ratingCount,
    shopId: p.shopId,
    shopName: p.shopName,
    shopSlug: p.shopSlug,
    city: p.city,
    imageUrl: p.imageUrl,
    soldCount: p.soldCount,
    inStock: p.inStock,
    categoryId: p.categoryId,
  };
}

/** Public reads; `for_me` checks for a user principal itself. */
const publicMethods: ImplementOptions<SearchServiceServer> = {
  anonymous: ["search", "suggest", "getRecommendations"],
};

/** The SearchService gRPC handlers: proto in, use case, proto out. */
export function searchGrpcService(search: SearchService, wishlists: Wishlists) {
  return implement<SearchServiceServer>(SearchServiceService, publicMethods, {
    async search(req) {
      const sort = SORTS[req.sort];
      if (!sort)
        throw errors.invalid("The search request is invalid", [{ field: "sort", message: "is unknown" }]);
      const result = await search.search({
        query: req.query,
        categoryId: req.categoryId,
        minPrice: req.minPrice === undefined ? undefined : Number(req.minPrice),
        maxPrice: req.maxPrice === undefined ? undefined : Number(req.maxPrice),
        minRating: req.minRating,
        city: req.city,
        inStock: req.inStock,
        sort,
        limit: req.page?.limit ?? 0,
        cursor: req.page?.cursor ?? "",
      });
      return {
        hits: result.hits.map(toHit),
        facets: result.facets,
        total: result.total,
        page: { nextCursor: result.nextCursor },
        correctedQuery: result.correctedQuery,
      };
    },
    async suggest(req) {
      return { suggestions: await search.suggest(req.query, req.limit) };
    },
    async getRecommendations(req, ctx) {
      const hasProduct = req.productId.length > 0;
      if (hasProduct === req.forMe) {
        throw errors.invalid("Give exactly one of product_id and for_me", [
          { field: "product_id", message: "exactly one of product_id and for_me" },
        ]);
      }
      const sections = req.forMe
        ? await search.forUser(requireUser(userSubject(ctx.principal?.subject)), wishlists, req.limit)
        : await search.forProduct(req.productId, req.limit);
      return {
        sections: sections.map((s) => ({ kind: s.kind, source: s.source, items: s.items.map(toHit) })),
      };
    },
  });
}

/** A user's subject; services (`service:<name>`) have no history of their own. */
function userSubject(subject: string | undefined): string | undefined {
  return subject && !subject.startsWith("service:") ? subject : undefined;
}
