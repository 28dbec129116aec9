/**
 * The relevance ranking. Each signal is scaled to [0, 1] and the score is their weighted sum:
 *
 *   score = W_text · text + W_rating · quality + W_sales · popularity + W_fresh · recency
 *
 *   text       = PostgreSQL ts_rank of the query over the weighted document (title A = 1.0,
 *                brand and category B = 0.4, description D = 0.1); ~0.6 for a title match,
 *                more when several words match. 0 for a browse without query.
 *   quality    = (rating / 5) · count / (count + 10): a 5-star product with two reviews counts
 *                less than a 4.8 with two hundred.
 *   popularity = min(1, ln(1 + sold) / ln(1 + saturation)).
 *   recency    = exp(−age_days / freshness_days).
 *
 * The defaults (1, 0.3, 0.3, 0.1; 30 days; saturation 10,000) keep text relevance first: a
 * title match beats a best seller that merely mentions the word in its description, and among
 * equally relevant products the well-rated, selling, recent ones come first. The weights are
 * configuration (SEARCH_WEIGHT_*), and the SQL implementation computes exactly `score` below.
 */
export interface RankingWeights {
  text: number;
  rating: number;
  sales: number;
  freshness: number;
  freshnessDays: number;
  salesSaturation: number;
}

export interface RankingSignals {
  textRank: number;
  ratingAverage: number;
  ratingCount: number;
  sold: number;
  ageDays: number;
}

/** The relevance score of one product (the reference for the SQL formula). */
export function score(w: RankingWeights, s: RankingSignals): number {
  const quality = (s.ratingAverage / 5) * (s.ratingCount / (s.ratingCount + 10));
  const popularity = Math.min(1, Math.log(1 + s.sold) / Math.log(1 + w.salesSaturation));
  const recency = Math.exp(-Math.max(0, s.ageDays) / w.freshnessDays);
  return w.text * s.textRank + w.rating * quality + w.sales * popularity + w.freshness * recency;
}

/** Price buckets of the price facet, rupiah lower bounds (the last is open-ended). */
export const PRICE_BUCKETS: readonly number[] = [0, 50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000];

/** The facet value and label of price bucket `i` (an index into PRICE_BUCKETS). */
export function priceBucket(i: number): { value: string; label: string } {
  const lo = PRICE_BUCKETS[i] ?? 0;
  const hi = PRICE_BUCKETS[i + 1];
  const rp = (n: number) => `Rp${n.toLocaleString("id-ID")}`;
  if (hi === undefined) return { value: `${lo}-`, label: `≥ ${rp(lo)}` };
  return { value: `${lo}-${hi - 1}`, label: `${rp(lo)} – ${rp(hi - 1)}` };
}
