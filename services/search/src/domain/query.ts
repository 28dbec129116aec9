import { errors, type FieldViolation } from "@toko/kit/errors";
import { stem, words } from "./text.ts";

/** Bounds on a query, so every search does bounded work. */
export const QUERY_LIMITS = {
  maxChars: 200,
  maxWords: 8,
  maxWordLength: 40,
  maxPrice: 1_000_000_000_000,
  maxCityChars: 100,
  maxIdChars: 128,
  defaultPageSize: 20,
  maxPageSize: 60,
} as const;

export type SortOrder = "relevance" | "price_asc" | "price_desc" | "newest" | "best_selling";

export interface SearchFilters {
  /** The category and its subtree. */
  categoryId: string | null;
  minPrice: number | null;
  maxPrice: number | null;
  minRating: number;
  /** Lowercased. */
  city: string | null;
  inStock: boolean;
}

/** A validated search: the query's words (normalised, bounded) plus filters, sort and page. */
export interface SearchQuery {
  /** The words as typed (normalised); empty when the query had none. */
  words: string[];
  /** True when a query was given but held no searchable word (emoji, punctuation). */
  unsearchable: boolean;
  filters: SearchFilters;
  sort: SortOrder;
  limit: number;
  cursor: string;
}

export interface SearchInput {
  query: string;
  categoryId: string;
  minPrice: number | undefined;
  maxPrice: number | undefined;
  minRating: number;
  city: string;
  inStock: boolean;
  sort: SortOrder;
  limit: number;
  cursor: string;
}

/** Validates a search request; VALIDATION_FAILED lists every bad field. */
export function parseSearch(input: SearchInput): SearchQuery {
  const v: FieldViolation[] = [];
  const query = input.query.trim();
  if ([...query].length > QUERY_LIMITS.maxChars) {
    v.push({ field: "query", message: `must be at most ${QUERY_LIMITS.maxChars} characters` });
  }
  const categoryId = input.categoryId.trim();
  if (categoryId.length > QUERY_LIMITS.maxIdChars || /[^\x21-\x7e]/.test(categoryId)) {
    v.push({ field: "category_id", message: "is not a category id" });
  }
  if (query.length === 0 && categoryId.length === 0) {
    v.push({ field: "query", message: "is required unless a category is given" });
  }
  const price = (field: string, value: number | undefined): number | null => {
    if (value === undefined) return null;
    if (!Number.isSafeInteger(value) || value < 0 || value > QUERY_LIMITS.maxPrice) {
      v.push({ field, message: `must be a whole number of rupiah from 0 to ${QUERY_LIMITS.maxPrice}` });
      return null;
    }
    return value;
  };
  const minPrice = price("min_price", input.minPrice);
  const maxPrice = price("max_price", input.maxPrice);
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice) {
    v.push({ field: "max_price", message: "must not be below min_price" });
  }
  if (!Number.isFinite(input.minRating) || input.minRating < 0 || input.minRating > 5) {
    v.push({ field: "min_rating", message: "must be from 0 to 5" });
  }
  const city = input.city.trim();
  if ([...city].length > QUERY_LIMITS.maxCityChars) {
    v.push({ field: "city", message: `must be at most ${QUERY_LIMITS.maxCityChars} characters` });
  }
  const limit = input.limit === 0 ? QUERY_LIMITS.defaultPageSize : input.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > QUERY_LIMITS.maxPageSize) {
    v.push({ field: "page.limit", message: `must be from 1 to ${QUERY_LIMITS.maxPageSize}` });
  }
  if (input.cursor.length > 1_000) v.push({ field: "page.cursor", message: "is not a cursor" });
  if (v.length > 0) throw errors.invalid("The search request is invalid", v);
  const ws = queryWords(query);
  return {
    words: ws,
    unsearchable: query.length > 0 && ws.length === 0,
    filters: {
      categoryId: categoryId || null,
      minPrice,
      maxPrice,
      minRating: input.minRating,
      city: city ? city.toLowerCase() : null,
      inStock: input.inStock,
    },
    sort: input.sort,
    limit,
    cursor: input.cursor,
  };
}

/** A query's words: normalised, each at most 40 characters, the first eight, duplicates once. */
export function queryWords(query: string): string[] {
  const out: string[] = [];
  for (const w of words(query)) {
    const word = w.slice(0, QUERY_LIMITS.maxWordLength);
    if (!out.includes(word)) out.push(word);
    if (out.length === QUERY_LIMITS.maxWords) break;
  }
  return out;
}

/** One alternative a query word may match: a word (or phrase of words) of the document. */
export interface Alternative {
  words: string[];
  /** Matches words the last word begins (as-you-type and unfinished words). */
  prefix: boolean;
}

/** Everything one query word may match: itself, its stem, synonyms and typo corrections. */
export interface WordMatch {
  word: string;
  alternatives: Alternative[];
  /** The correction chosen for the "did you mean" query, when the word itself is unknown. */
  correction: string | null;
}

/** Words of three letters or more also match longer words they begin. */
const PREFIX_MIN = 3;

/**
 * Expands each query word into its alternatives. `synonyms(word)` gives the other members of the
 * word's synonym groups (each a phrase); `corrections(word)` the known words it may be a typo of,
 * best first (empty when the word is known).
 */
export function expandWords(
  ws: readonly string[],
  synonyms: (word: string) => readonly string[],
  corrections: (word: string) => readonly string[],
): WordMatch[] {
  return ws.map((word) => {
    const alternatives: Alternative[] = [];
    const add = (phrase: string, prefix: boolean) => {
      const parts = words(phrase);
      if (parts.length === 0) return;
      const key = parts.join(" ");
      if (alternatives.some((a) => a.words.join(" ") === key)) return;
      alternatives.push({ words: parts, prefix: prefix && parts.length === 1 && key.length >= PREFIX_MIN });
    };
    add(word, true);
    add(stem(word), true);
    for (const s of synonyms(word)) add(s, false);
    const fixes = corrections(word);
    for (const c of fixes) {
      add(c, false);
      for (const s of synonyms(c)) add(s, false);
    }
    return { word, alternatives, correction: fixes[0] ?? null };
  });
}

/**
 * The PostgreSQL `to_tsquery('simple', …)` text: every query word must match one of its
 * alternatives. Safe to pass as a parameter: words hold only [a-z0-9].
 */
export function toTsQuery(matches: readonly WordMatch[]): string {
  return matches
    .map((m) => {
      const alts = m.alternatives.map((a) =>
        a.words.length > 1 ? `(${a.words.join(" <-> ")})` : `${a.words[0]}${a.prefix ? ":*" : ""}`,
      );
      return alts.length === 1 ? alts[0] : `(${alts.join(" | ")})`;
    })
    .join(" & ");
}

/** The query with corrected words replaced, or "" when nothing was corrected. */
export function correctedQuery(matches: readonly WordMatch[]): string {
  if (!matches.some((m) => m.correction !== null)) return "";
  return matches.map((m) => m.correction ?? m.word).join(" ");
}

/** The terms to highlight in titles. */
export function highlightTerms(matches: readonly WordMatch[]): { word: string; prefix: boolean }[] {
  return matches.flatMap((m) =>
    m.alternatives.flatMap((a) => a.words.map((w) => ({ word: w, prefix: a.prefix }))),
  );
}
