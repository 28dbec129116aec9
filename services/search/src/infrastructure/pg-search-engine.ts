import { type Kysely, type RawBuilder, sql } from "kysely";
import type { FacetCount, ProductSummary, SearchResult, Suggestion } from "../application/model.ts";
import type { RecommendationReads, SearchEngine } from "../application/ports.ts";
import { decodeCursor, encodeCursor, fingerprint } from "../domain/cursor.ts";
import {
  correctedQuery,
  expandWords,
  highlightTerms,
  type SearchFilters,
  type SearchQuery,
  toTsQuery,
  type WordMatch,
} from "../domain/query.ts";
import { PRICE_BUCKETS, priceBucket, type RankingWeights } from "../domain/ranking.ts";
import { highlight, maxTypoEdits } from "../domain/text.ts";
import type { SearchDatabase } from "./schema.ts";

export interface PgSearchSettings {
  weights: RankingWeights;
  now?: () => Date;
}

interface HitRow {
  product_id: string;
  title: string;
  price: string;
  rating_avg: number;
  rating_count: string;
  shop_id: string;
  shop_name: string;
  shop_slug: string;
  city: string;
  image_url: string;
  sold_count: string;
  in_stock: boolean;
  category_id: string;
  sort_key: number;
}

const HIT_COLUMNS = sql`p.product_id, p.title, p.price, p.rating_avg, p.rating_count, p.shop_id, p.shop_name,
  p.shop_slug, p.city, p.image_url, p.sold_count, p.in_stock, p.category_id`;

function summary(r: HitRow, terms: ReturnType<typeof highlightTerms> = []): ProductSummary {
  return {
    productId: r.product_id,
    title: r.title,
    highlight: highlight(r.title, terms),
    price: Number(r.price),
    ratingAverage: r.rating_avg,
    ratingCount: Number(r.rating_count),
    shopId: r.shop_id,
    shopName: r.shop_name,
    shopSlug: r.shop_slug,
    city: r.city,
    imageUrl: r.image_url,
    soldCount: Number(r.sold_count),
    inStock: r.in_stock,
    categoryId: r.category_id,
  };
}

/** Facet lists are cut to their most frequent values. */
const FACET_VALUES = 20;
/** Typo candidates fetched by trigram similarity before the edit-distance check. */
const TYPO_CANDIDATES = 20;
/** The synonym groups and a word's typo corrections are re-read this often. */
const SYNONYMS_TTL_MS = 60_000;
/** Query words whose typo corrections are kept (the cache starts over when full). */
const CORRECTION_CACHE_WORDS = 10_000;
/** Suggestions look at this many matching products at most. */
const SUGGEST_SCAN = 1_000;

/**
 * Search over PostgreSQL: the weighted `tsvector` (GIN) matches, `pg_trgm` over the vocabulary
 * corrects typos, the synonym groups expand words; ranking, facets and keyset pages in SQL. Every
 * query runs on read-only sessions with a statement timeout (`read-db.ts`).
 */
export class PgSearchEngine implements SearchEngine, RecommendationReads {
  private synonymCache: { at: number; groups: string[][] } | undefined;
  private readonly correctionCache = new Map<string, { at: number; fixes: string[] }>();

  constructor(
    private readonly db: Kysely<SearchDatabase>,
    private readonly settings: PgSearchSettings,
  ) {}

  /** Runs `work` on the read sessions (read-only, statement timeout; see read-db.ts). */
  private read<T>(work: (db: Kysely<SearchDatabase>) => Promise<T>): Promise<T> {
    return work(this.db);
  }

  private async synonymGroups(trx: Kysely<SearchDatabase>): Promise<string[][]> {
    const now = Date.now();
    if (this.synonymCache && now - this.synonymCache.at < SYNONYMS_TTL_MS) return this.synonymCache.groups;
    const { rows } = await sql<{ terms: string[] }>`SELECT terms FROM search_synonyms ORDER BY id`.execute(
      trx,
    );
    this.synonymCache = { at: now, groups: rows.map((r) => r.terms) };
    return this.synonymCache.groups;
  }

  /**
   * Known words the query words may be typos of (words that begin no indexed word). Answers are
   * kept for as long as the synonym groups: buyers repeat words far more than the vocabulary
   * changes, and a cached word saves the search a round trip.
   */
  private async corrections(
    trx: Kysely<SearchDatabase>,
    ws: readonly string[],
  ): Promise<Map<string, string[]>> {
    const now = Date.now();
    const out = new Map<string, string[]>();
    const candidates: string[] = [];
    for (const w of ws) {
      if (maxTypoEdits(w) === 0) continue;
      const known = this.correctionCache.get(w);
      if (known && now - known.at < SYNONYMS_TTL_MS) {
        if (known.fixes.length > 0) out.set(w, known.fixes);
      } else candidates.push(w);
    }
    if (candidates.length === 0) return out;
    const { rows } = await sql<{ word: string; fixes: string[] | null }>`
      SELECT t.word,
        CASE WHEN EXISTS (SELECT 1 FROM search_words w WHERE w.word >= t.word AND w.word < t.word || '~') THEN NULL ELSE (
          SELECT array_agg(c.word ORDER BY c.d, c.sim DESC, c.word) FROM (
            SELECT w.word, levenshtein(w.word, t.word) AS d, similarity(w.word, t.word) AS sim
            FROM search_words w WHERE w.word % t.word
            ORDER BY similarity(w.word, t.word) DESC LIMIT ${TYPO_CANDIDATES}) c
          WHERE c.d <= t.max_edits) END AS fixes
      FROM unnest(${candidates}::text[], ${candidates.map(maxTypoEdits)}::int[]) AS t(word, max_edits)`.execute(
      trx,
    );
    if (this.correctionCache.size + rows.length > CORRECTION_CACHE_WORDS) this.correctionCache.clear();
    for (const r of rows) {
      const fixes = r.fixes?.slice(0, 3) ?? [];
      this.correctionCache.set(r.word, { at: now, fixes });
      if (fixes.length > 0) out.set(r.word, fixes);
    }
    return out;
  }

  private async expand(
    trx: Kysely<SearchDatabase>,
    ws: readonly string[],
    options: { correct: boolean },
  ): Promise<WordMatch[]> {
    const groups = await this.synonymGroups(trx);
    const fixes = options.correct ? await this.corrections(trx, ws) : new Map<string, string[]>();
    const synonyms = (w: string) =>
      groups.filter((g) => g.includes(w)).flatMap((g) => g.filter((t) => t !== w));
    return expandWords(ws, synonyms, (w) => fixes.get(w) ?? []);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return this.read(async (trx) => {
      const matches = query.words.length > 0 ? await this.expand(trx, query.words, { correct: true }) : [];
      const tsq = matches.length > 0 ? toTsQuery(matches) : null;
      const fp = fingerprint([query.words, query.filters, query.sort]);
      const cursor = query.cursor ? decodeCursor(query.cursor, fp) : null;
      const asOf = cursor ? new Date(cursor.asOf) : (this.settings.now?.() ?? new Date());
      const where = filterSql(query.filters, tsq);
      const key = this.sortKey(query.sort, tsq, asOf);
      const ascending = query.sort === "price_asc";
      const after = cursor
        ? ascending
          ? sql`WHERE (s.sort_key, s.product_id) > (${cursor.key}::float8, ${cursor.id})`
          : sql`WHERE (s.sort_key, s.product_id) < (${cursor.key}::float8, ${cursor.id})`
        : sql``;
      const order = ascending
        ? sql`s.sort_key ASC, s.product_id ASC`
        : sql`s.sort_key DESC, s.product_id DESC`;
      // One statement: the match is read once, then ranked into a page and counted into facets.
      // The materialised match holds only the sort key and the facet columns (and the row's
      // ctid); the page's display columns are read for its rows alone.
      const { rows } = await sql<{ hits: HitRow[] | null; facets: FacetRow[] | null }>`
        WITH m AS MATERIALIZED (
          SELECT p.ctid AS tid, p.product_id, (${key})::float8 AS sort_key,
                 p.category_id, p.category_name, p.city,
                 width_bucket(p.price, ${PRICE_BUCKETS.slice(1)}::int8[]) AS bucket,
                 CASE WHEN p.rating_count > 0 THEN floor(p.rating_avg)::int ELSE 0 END AS stars
          FROM search_products p WHERE ${where}),
        page AS (SELECT s.tid, s.sort_key, s.product_id FROM m s ${after} ORDER BY ${order} LIMIT ${query.limit + 1}),
        f AS (
          SELECT category_id, category_name, city, bucket, stars, count(*) AS n FROM m
          GROUP BY GROUPING SETS ((category_id, category_name), (city), (bucket), (stars), ()))
        SELECT (SELECT json_agg(s ORDER BY ${order})
                FROM (SELECT ${HIT_COLUMNS}, pg.sort_key FROM page pg JOIN search_products p ON p.ctid = pg.tid) s) AS hits,
               (SELECT json_agg(f) FROM f) AS facets`.execute(trx);
      const pageRows = rows[0]?.hits ?? [];
      const facets = facetsOf(rows[0]?.facets ?? []);
      const terms = highlightTerms(matches);
      const hits = pageRows.slice(0, query.limit);
      const last = hits[hits.length - 1];
      return {
        hits: hits.map((r) => summary(r, terms)),
        facets: facets.facets,
        total: facets.total,
        nextCursor:
          pageRows.length > query.limit && last
            ? encodeCursor({ key: last.sort_key, id: last.product_id, asOf: asOf.getTime(), fingerprint: fp })
            : "",
        correctedQuery: correctedQuery(matches),
      };
    });
  }

  /** The sort key: relevance is the documented score (domain/ranking.ts) computed in SQL. */
  private sortKey(sort: SearchQuery["sort"], tsq: string | null, asOf: Date): RawBuilder<unknown> {
    const w = this.settings.weights;
    switch (sort) {
      case "price_asc":
      case "price_desc":
        return sql`p.price`;
      case "newest":
        return sql`p.created_epoch * 1000`;
      case "best_selling":
        return sql`p.sold_count`;
      default: {
        const text = tsq
          ? sql`${w.text}::float8 * ts_rank(p.document, to_tsquery('simple', ${tsq}))`
          : sql`0`;
        // quality, sales_log and created_epoch are stored with the row (migration 0002).
        return sql`${text}
          + ${w.rating}::float8 * p.quality
          + ${w.sales}::float8 * LEAST(1.0, p.sales_log / ln(1 + ${w.salesSaturation}::float8))
          + ${w.freshness}::float8 * exp(-GREATEST(0, ${asOf.getTime() / 1000}::float8 - p.created_epoch)
              / 86400.0 / ${w.freshnessDays}::float8)`;
      }
    }
  }

  async suggest(ws: readonly string[], limit: number): Promise<Suggestion[]> {
    return this.read(async (trx) => {
      const done = ws.slice(0, -1);
      const last = ws[ws.length - 1] ?? "";
      const matches = [
        ...(await this.expand(trx, done, { correct: true })),
        { word: last, alternatives: [{ words: [last], prefix: true }], correction: null },
      ];
      const phrase = ws.join(" ");
      const products = await sql<{ text: string; n: string }>`
        SELECT title_norm AS text, count(*) AS n, sum(sold_count) AS sold
        FROM (SELECT title_norm, sold_count FROM search_products p
              WHERE p.active AND p.document @@ to_tsquery('simple', ${toTsQuery(matches)})
              LIMIT ${SUGGEST_SCAN}) c
        GROUP BY title_norm
        ORDER BY (title_norm LIKE ${`${phrase}%`}) DESC, sold DESC, n DESC, text
        LIMIT ${limit}`.execute(trx);
      const categories = await sql<{ category_id: string; name: string; n: string }>`
        SELECT c.category_id, c.name,
          (SELECT count(*) FROM search_products p WHERE p.active AND p.category_path @> ARRAY[c.category_id]) AS n
        FROM search_categories c
        WHERE (' ' || c.name_norm) LIKE ${`% ${phrase}%`}
        ORDER BY n DESC, c.name LIMIT 3`.execute(trx);
      return [
        ...categories.rows
          .filter((c) => Number(c.n) > 0)
          .map(
            (c): Suggestion => ({
              text: c.name,
              kind: "category",
              categoryId: c.category_id,
              count: Number(c.n),
            }),
          ),
        ...products.rows.map(
          (r): Suggestion => ({ text: r.text, kind: "query", categoryId: "", count: Number(r.n) }),
        ),
      ].slice(0, limit);
    });
  }

  // ── Recommendations ────────────────────────────────────────────────────────────────────────

  async product(productId: string) {
    return this.read(async (trx) => {
      const { rows } = await sql<{ category_id: string; title_norm: string }>`
        SELECT category_id, title_norm FROM search_products WHERE product_id = ${productId} AND active`.execute(
        trx,
      );
      const r = rows[0];
      return r ? { categoryId: r.category_id, titleNorm: r.title_norm } : null;
    });
  }

  async similar(productId: string, limit: number) {
    return this.read(async (trx) => {
      const { rows } = await sql<HitRow>`
        SELECT ${HIT_COLUMNS}, 0::float8 AS sort_key
        FROM search_products me JOIN search_products p
          ON p.category_id = me.category_id AND p.active AND p.product_id <> me.product_id
        WHERE me.product_id = ${productId}
        ORDER BY similarity(p.title_norm, me.title_norm)
                 + 0.2 * LEAST(1.0, p.sales_log / ln(10001.0)) DESC, p.product_id
        LIMIT ${limit}`.execute(trx);
      return rows.map((r) => summary(r));
    });
  }

  async boughtTogether(productId: string, limit: number) {
    return this.read(async (trx) => {
      const { rows } = await sql<HitRow>`
        SELECT ${HIT_COLUMNS}, x.checkouts::float8 AS sort_key
        FROM search_pairs x JOIN search_products p ON p.product_id = x.other_id AND p.active
        WHERE x.product_id = ${productId}
        ORDER BY x.checkouts DESC, p.sold_count DESC, p.product_id LIMIT ${limit}`.execute(trx);
      return rows.map((r) => summary(r));
    });
  }

  async bestSellers(categoryId: string | null, exclude: readonly string[], limit: number) {
    return this.read(async (trx) => {
      const inCategory = categoryId ? sql`AND p.category_path @> ARRAY[${categoryId}]::text[]` : sql``;
      const { rows } = await sql<HitRow>`
        SELECT ${HIT_COLUMNS}, 0::float8 AS sort_key FROM search_products p
        WHERE p.active ${inCategory} AND NOT (p.product_id = ANY(${[...exclude]}::text[]))
        ORDER BY p.sold_count DESC, p.product_id DESC LIMIT ${limit}`.execute(trx);
      return rows.map((r) => summary(r));
    });
  }

  async purchases(buyerId: string, limit: number) {
    return this.read(async (trx) => {
      const { rows } = await sql<{ product_id: string }>`
        SELECT product_id FROM search_purchases WHERE buyer_id = ${buyerId}
        ORDER BY last_at DESC, product_id LIMIT ${limit}`.execute(trx);
      return rows.map((r) => r.product_id);
    });
  }

  async fromSeeds(seeds: readonly string[], exclude: readonly string[], limit: number) {
    return this.read(async (trx) => {
      const { rows } = await sql<HitRow>`
        WITH together AS (
          SELECT x.other_id AS product_id, sum(x.checkouts) AS score
          FROM search_pairs x WHERE x.product_id = ANY(${[...seeds]}::text[]) GROUP BY x.other_id),
        categories AS (
          SELECT DISTINCT category_id FROM search_products WHERE product_id = ANY(${[...seeds]}::text[]))
        SELECT ${HIT_COLUMNS}, (COALESCE(t.score, 0) * 1000 + LEAST(999, p.sold_count))::float8 AS sort_key
        FROM search_products p LEFT JOIN together t ON t.product_id = p.product_id
        WHERE p.active AND NOT (p.product_id = ANY(${[...exclude]}::text[]))
          AND (t.product_id IS NOT NULL OR p.category_id IN (SELECT category_id FROM categories))
        ORDER BY sort_key DESC, p.product_id DESC LIMIT ${limit}`.execute(trx);
      return rows.map((r) => summary(r));
    });
  }
}

interface FacetRow {
  category_id: string | null;
  category_name: string | null;
  city: string | null;
  bucket: number | null;
  stars: number | null;
  n: number;
}

/** Facet lists (the most frequent values first) and the total from the grouping sets' rows. */
function facetsOf(rows: readonly FacetRow[]): { facets: SearchResult["facets"]; total: number } {
  const category: FacetCount[] = [];
  const city: FacetCount[] = [];
  const buckets: { i: number; count: number }[] = [];
  const byStars = new Map<number, number>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.category_id !== null)
      category.push({ value: r.category_id, label: r.category_name ?? "", count: n });
    else if (r.city !== null) city.push({ value: r.city, label: r.city, count: n });
    else if (r.bucket !== null) buckets.push({ i: r.bucket, count: n });
    else if (r.stars !== null) byStars.set(r.stars, n);
    else total = n;
  }
  const top = (xs: FacetCount[]) =>
    xs.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, FACET_VALUES);
  const priceRange = buckets.sort((a, b) => a.i - b.i).map((b) => ({ ...priceBucket(b.i), count: b.count }));
  const rating: FacetCount[] = [];
  for (const min of [4, 3, 2, 1]) {
    let count = 0;
    for (const [stars, n] of byStars) if (stars >= min) count += n;
    if (count > 0) rating.push({ value: String(min), label: `${min}+`, count });
  }
  return { facets: { category: top(category), city: top(city), priceRange, rating }, total };
}

/** The WHERE clause of a search: active products, the text match and every filter. */
function filterSql(f: SearchFilters, tsq: string | null): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [sql`p.active`];
  if (tsq) conds.push(sql`p.document @@ to_tsquery('simple', ${tsq})`);
  if (f.categoryId) conds.push(sql`p.category_path @> ARRAY[${f.categoryId}]::text[]`);
  if (f.minPrice !== null) conds.push(sql`p.price >= ${f.minPrice}`);
  if (f.maxPrice !== null) conds.push(sql`p.price <= ${f.maxPrice}`);
  if (f.minRating > 0) conds.push(sql`p.rating_count > 0 AND p.rating_avg >= ${f.minRating}`);
  if (f.city) conds.push(sql`p.city_key = ${f.city}`);
  if (f.inStock) conds.push(sql`p.in_stock`);
  return sql.join(conds, sql` AND `);
}
