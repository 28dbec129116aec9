import { effectivePrice } from "../domain/pricing.ts";
import { ratingSummary } from "../domain/rating.ts";
import type { CategoryIndex } from "./category-index.ts";
import type { ProductRecord, ProductView } from "./model.ts";

/** A stored product as callers see it: active variants priced at `at` by the domain rule. */
export function productView(record: ProductRecord, at: Date, categories: CategoryIndex): ProductView {
  const { schedules, variants, ...rest } = record;
  return {
    ...rest,
    variants: variants
      .filter((v) => v.active)
      .map((v) => {
        const priced = effectivePrice(
          v,
          schedules.filter((s) => s.variantId === v.id),
          at,
        );
        return { ...v, price: priced.price, priceScheduleId: priced.scheduleId };
      }),
    rating: ratingSummary({ sum: record.ratingSum, count: record.ratingCount }),
    breadcrumbs: categories.breadcrumbs(record.categoryId),
  };
}
