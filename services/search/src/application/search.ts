import { DomainError, errors } from "@toko/kit";
import { parseSearch, queryWords, type SearchInput } from "../domain/query.ts";
import type { ProductSummary, RecommendationSection, SearchResult, Suggestion } from "./model.ts";
import type { RecommendationReads, SearchEngine, Wishlists } from "./ports.ts";

const EMPTY: SearchResult = {
  hits: [],
  facets: { category: [], city: [], priceRange: [], rating: [] },
  total: 0,
  nextCursor: "",
  correctedQuery: "",
};

export const SUGGEST_LIMITS = { maxChars: 100, defaultLimit: 8, maxLimit: 20 } as const;
export const RECOMMENDATION_LIMITS = { defaultLimit: 12, maxLimit: 40, seeds: 20 } as const;

/** The search use cases over the engine and the recommendation reads. */
export class SearchService {
  constructor(
    private readonly engine: SearchEngine,
    private readonly recs: RecommendationReads,
  ) {}

  /** Validated search; a query without a searchable word matches nothing. */
  async search(input: SearchInput): Promise<SearchResult> {
    const query = parseSearch(input);
    if (query.unsearchable) return EMPTY;
    return this.engine.search(query);
  }

  async suggest(text: string, limit: number): Promise<Suggestion[]> {
    const v = [];
    if ([...text].length > SUGGEST_LIMITS.maxChars) {
      v.push({ field: "query", message: `must be at most ${SUGGEST_LIMITS.maxChars} characters` });
    }
    const n = limit === 0 ? SUGGEST_LIMITS.defaultLimit : limit;
    if (!Number.isInteger(n) || n < 1 || n > SUGGEST_LIMITS.maxLimit) {
      v.push({ field: "limit", message: `must be from 1 to ${SUGGEST_LIMITS.maxLimit}` });
    }
    if (v.length > 0) throw errors.invalid("The suggest request is invalid", v);
    const ws = queryWords(text);
    if (ws.length === 0) return [];
    return this.engine.suggest(ws, n);
  }

  /** Similar products and products bought together, each falling back to best sellers. */
  async forProduct(productId: string, limit: number): Promise<RecommendationSection[]> {
    const n = this.limit(limit);
    if (productId.length === 0 || productId.length > 128 || /[^\x21-\x7e]/.test(productId)) {
      throw errors.invalid("The product id is invalid", [
        { field: "product_id", message: "is not a product id" },
      ]);
    }
    const product = await this.recs.product(productId);
    if (!product) {
      // Unknown, archived or not indexed yet: the page still gets something to show.
      const items = await this.recs.bestSellers(null, [productId], n);
      return [
        { kind: "similar", source: "best_sellers", items },
        { kind: "bought_together", source: "best_sellers", items },
      ];
    }
    const similar = await this.withFallback("similar", "content", () => this.recs.similar(productId, n), {
      categoryId: product.categoryId,
      exclude: [productId],
      limit: n,
    });
    const together = await this.withFallback(
      "bought_together",
      "orders",
      () => this.recs.boughtTogether(productId, n),
      { categoryId: product.categoryId, exclude: [productId], limit: n },
    );
    return [similar, together];
  }

  /**
   * For the calling user: products bought with what they bought or wishlisted, and best sellers
   * of those categories; best sellers overall when they have no history.
   */
  async forUser(buyerId: string, wishlists: Wishlists, limit: number): Promise<RecommendationSection[]> {
    const n = this.limit(limit);
    const [bought, wished] = await Promise.all([
      this.recs.purchases(buyerId, RECOMMENDATION_LIMITS.seeds),
      wishlists.productIds(),
    ]);
    const seeds = [...new Set([...bought, ...wished.slice(0, RECOMMENDATION_LIMITS.seeds)])];
    const items = seeds.length > 0 ? await this.recs.fromSeeds(seeds, seeds, n) : [];
    if (items.length > 0) return [{ kind: "for_you", source: "history", items }];
    return [{ kind: "for_you", source: "best_sellers", items: await this.recs.bestSellers(null, seeds, n) }];
  }

  private limit(limit: number): number {
    const n = limit === 0 ? RECOMMENDATION_LIMITS.defaultLimit : limit;
    if (!Number.isInteger(n) || n < 1 || n > RECOMMENDATION_LIMITS.maxLimit) {
      throw errors.invalid("The limit is invalid", [
        { field: "limit", message: `must be from 1 to ${RECOMMENDATION_LIMITS.maxLimit}` },
      ]);
    }
    return n;
  }

  private async withFallback(
    kind: RecommendationSection["kind"],
    source: RecommendationSection["source"],
    primary: () => Promise<ProductSummary[]>,
    fallback: { categoryId: string; exclude: string[]; limit: number },
  ): Promise<RecommendationSection> {
    const items = await primary();
    if (items.length > 0) return { kind, source, items };
    const inCategory = await this.recs.bestSellers(fallback.categoryId, fallback.exclude, fallback.limit);
    if (inCategory.length > 0) return { kind, source: "category_best_sellers", items: inCategory };
    return {
      kind,
      source: "best_sellers",
      items: await this.recs.bestSellers(null, fallback.exclude, fallback.limit),
    };
  }
}

/** A principal that is not a user (a service) cannot have personal recommendations. */
export function requireUser(subject: string | undefined): string {
  if (!subject)
    throw new DomainError("unauthenticated", "UNAUTHENTICATED", "Sign in for personal recommendations");
  return subject;
}
