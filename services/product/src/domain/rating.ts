/** A rating aggregate kept as a sum and a count, so adding a review is one atomic increment. */
export interface RatingTotals {
  sum: number;
  count: number;
}

/** The public view of a rating: average to one decimal (0 when there are no reviews). */
export function ratingSummary(totals: RatingTotals): { average: number; count: number } {
  if (totals.count === 0) return { average: 0, count: 0 };
  return { average: Math.round((totals.sum / totals.count) * 10) / 10, count: totals.count };
}

/** Totals after one more review of `stars`. */
export function addRating(totals: RatingTotals, stars: number): RatingTotals {
  return { sum: totals.sum + stars, count: totals.count + 1 };
}
