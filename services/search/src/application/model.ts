/** The catalog facts the projection keeps of one product (from ProductCreated/Updated or a reindex). */
export interface ProductDoc {
  productId: string;
  shopId: string;
  shopName: string;
  shopSlug: string;
  city: string;
  title: string;
  description: string;
  /** Brand and other attribute values, searchable at the category's weight. */
  attributeValues: string[];
  categoryId: string;
  /** Root first, ending with the product's own category. */
  categoryPath: { id: string; name: string }[];
  imageUrl: string;
  status: "active" | "draft" | "archived";
  ratingAverage: number;
  ratingCount: number;
  soldCount: number;
  createdAt: Date;
  updatedAt: Date;
  variants: { variantId: string; sku: string; price: number; stockStatus: string }[];
}

/** One product in a result list. */
export interface ProductSummary {
  productId: string;
  title: string;
  /** The title HTML-escaped with matched words in <em>; the escaped title when nothing matched. */
  highlight: string;
  price: number;
  ratingAverage: number;
  ratingCount: number;
  shopId: string;
  shopName: string;
  shopSlug: string;
  city: string;
  imageUrl: string;
  soldCount: number;
  inStock: boolean;
  categoryId: string;
}

export interface FacetCount {
  value: string;
  label: string;
  count: number;
}

export interface Facets {
  category: FacetCount[];
  city: FacetCount[];
  priceRange: FacetCount[];
  rating: FacetCount[];
}

export interface SearchResult {
  hits: ProductSummary[];
  facets: Facets;
  total: number;
  /** Empty on the last page. */
  nextCursor: string;
  correctedQuery: string;
}

export interface Suggestion {
  text: string;
  kind: "query" | "category";
  categoryId: string;
  count: number;
}

export type SectionKind = "similar" | "bought_together" | "for_you";
export type SectionSource = "content" | "orders" | "history" | "category_best_sellers" | "best_sellers";

export interface RecommendationSection {
  kind: SectionKind;
  source: SectionSource;
  items: ProductSummary[];
}

/** A completed order as the projection needs it. */
export interface CompletedOrder {
  checkoutId: string;
  buyerId: string;
  completedAt: Date;
  lines: { productId: string; quantity: number }[];
}
