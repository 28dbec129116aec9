import type { SearchQuery } from "../domain/query.ts";
import type { CompletedOrder, ProductDoc, ProductSummary, SearchResult, Suggestion } from "./model.ts";

/**
 * The query side of search. PostgreSQL full text + pg_trgm implements it today
 * (`infrastructure/pg-search-engine.ts`); a dedicated engine can replace it for a large
 * catalogue behind this port, without touching the API or the projection's event handling.
 * The engine owns query expansion (synonyms, typo correction) and ranking.
 */
export interface SearchEngine {
  search(query: SearchQuery): Promise<SearchResult>;
  /** Phrases and categories for a typed prefix (normalised words; the last may be unfinished). */
  suggest(words: readonly string[], limit: number): Promise<Suggestion[]>;
}

/** Reads behind recommendations. */
export interface RecommendationReads {
  /** An active product's category (null when unknown or not active). */
  product(productId: string): Promise<{ categoryId: string; titleNorm: string } | null>;
  /** Same category, most similar title first (trigram similarity, then sales). */
  similar(productId: string, limit: number): Promise<ProductSummary[]>;
  /** Products most often bought in the same checkout as this one. */
  boughtTogether(productId: string, limit: number): Promise<ProductSummary[]>;
  /** Best sellers, in a category subtree when given, never the excluded ids. */
  bestSellers(
    categoryId: string | null,
    exclude: readonly string[],
    limit: number,
  ): Promise<ProductSummary[]>;
  /** The buyer's purchased products, most recent first. */
  purchases(buyerId: string, limit: number): Promise<string[]>;
  /** Products bought with the seeds, then best sellers of the seeds' categories, never the excluded ids. */
  fromSeeds(seeds: readonly string[], exclude: readonly string[], limit: number): Promise<ProductSummary[]>;
}

/** The calling user's wishlisted product ids (empty when it cannot be read now). */
export interface Wishlists {
  productIds(): Promise<string[]>;
}

/** Writes to the projection, in the transaction of the event being handled. */
export interface ProjectionWriter {
  /** Stores a product's state unless a newer one is stored; recomputes price and stock. */
  upsertProduct(doc: ProductDoc): Promise<void>;
  /** The same for many products, in order, as one set-based write (a reindex page). */
  upsertProducts(docs: readonly ProductDoc[]): Promise<void>;
  archive(productId: string, at: Date): Promise<void>;
  setVariantPrice(variantId: string, price: number, at: Date): Promise<void>;
  setRating(productId: string, average: number, count: number): Promise<void>;
  recordStock(shopId: string, sku: string, available: number, at: Date): Promise<void>;
  recordCompletedOrder(order: CompletedOrder): Promise<void>;
}

/** The catalog, page by page (the reindex). */
export interface CatalogFeed {
  pages(): AsyncIterable<ProductDoc[]>;
}
