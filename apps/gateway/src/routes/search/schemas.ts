import { Type } from "@sinclair/typebox";
import { ProblemSchema } from "../problem-schema.ts";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Rating = Type.Object({ average: Type.Number(), count: Type.Integer() });
const Rupiah = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description });

/** `GET /api/v1/search` query. */
export const SearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "words to find (typo tolerant); required unless category is given",
      }),
    ),
    category: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: "^[\\x21-\\x7e]+$",
        description: "a category id; its subcategories included",
      }),
    ),
    min_price: Type.Optional(Rupiah("lowest price, rupiah")),
    max_price: Type.Optional(Rupiah("highest price, rupiah (not below min_price)")),
    min_rating: Type.Optional(
      Type.Number({ minimum: 0, maximum: 5, description: "rated at least this (1–5)" }),
    ),
    city: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "the shop's city, e.g. Bandung" }),
    ),
    in_stock: Type.Optional(Type.Boolean({ description: "only products with a variant in stock" })),
    sort: Type.Optional(
      Type.Union(
        ["relevance", "price_asc", "price_desc", "newest", "best_selling"].map((s) => Type.Literal(s)),
        { default: "relevance" },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: "next_cursor of the previous page" })),
  },
  { additionalProperties: false },
);

export const SearchItem = Type.Object({
  id: Type.String({ description: "the product id" }),
  title: Type.String(),
  highlight: Type.String({ description: "the title, HTML-escaped, matched words in <em>…</em>" }),
  price: Money,
  rating: Rating,
  shop: Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() }),
  city: Type.String(),
  image_url: Type.Union([Type.String(), Type.Null()]),
  sold_count: Type.Integer(),
  in_stock: Type.Boolean(),
  category_id: Type.String(),
});

const Facet = Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }));

export const SearchView = Type.Object({
  items: Type.Array(SearchItem),
  facets: Type.Object({
    category: Facet,
    city: Facet,
    price_range: Facet,
    rating: Type.Array(Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }), {
      description: "cumulative: rated at least 4, 3, 2, 1",
    }),
  }),
  total: Type.Integer(),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  corrected_query: Type.Union([Type.String(), Type.Null()], {
    description: 'e.g. "sepatu lari" for "sepatu lri"',
  }),
});

export const SuggestQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
  },
  { additionalProperties: false },
);

export const SuggestView = Type.Object({
  items: Type.Array(
    Type.Object({
      text: Type.String(),
      kind: Type.String({ description: '"category" or "query"' }),
      category_id: Type.Union([Type.String(), Type.Null()]),
      count: Type.Integer(),
    }),
  ),
});

export const RecommendationsQuery = Type.Object(
  {
    product_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" })),
    for: Type.Optional(Type.Literal("me", { description: "personal recommendations (sign-in required)" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 40, default: 12 })),
  },
  { additionalProperties: false },
);

export const RecommendationsView = Type.Object({
  sections: Type.Array(
    Type.Object({
      kind: Type.String({ description: '"similar", "bought_together" or "for_you"' }),
      source: Type.String({
        description: '"content", "orders", "history", or a fallback: "category_best_sellers", "best_sellers"',
      }),
      items: Type.Array(SearchItem),
    }),
  ),
});

/** Problem responses a search endpoint can answer, for the OpenAPI document. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
