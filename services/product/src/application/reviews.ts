import { errors, type Principal } from "@toko/kit";
import { variantLabel } from "../domain/product.ts";
import { ratingSummary } from "../domain/rating.ts";
import { checkReviewContent, chooseReviewableLine } from "../domain/review.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkId, isId, pageLimit } from "./ids.ts";
import type { CompletedOrder, Page, ReviewRecord } from "./model.ts";
import type { CatalogTx } from "./ports.ts";

export interface NewReviewInput {
  productId: string;
  rating: number;
  text: string;
  orderId: string;
  lineId: string;
}

/**
 * Posts a review for one of the caller's purchased lines of the product. The review, the
 * line's "reviewed" mark and both rating aggregates (product and shop) change in one
 * transaction, with the product row locked, so aggregates always match the reviews.
 */
export async function postReview(
  deps: CatalogDeps,
  principal: Principal,
  input: NewReviewInput,
): Promise<{ review: ReviewRecord; productRating: { average: number; count: number } }> {
  const productId = checkId("product_id", input.productId);
  const text = checkReviewContent(input.rating, input.text);
  return deps.uow.run(async (tx) => {
    const product = await tx.products.lock(productId);
    if (!product || product.status === "draft") throw errors.notFound("product");
    const lines = await tx.reviews.purchasedLines(principal.subject, productId);
    const line = chooseReviewableLine(
      lines,
      principal.subject,
      productId,
      input.orderId === "" ? null : { orderId: input.orderId, lineId: input.lineId },
    );
    const variant = product.variants.find((v) => v.id === line.variantId);
    const review: ReviewRecord = {
      id: deps.newId(),
      productId,
      shopId: product.shopId,
      buyerId: principal.subject,
      orderId: line.orderId,
      lineId: line.lineId,
      rating: input.rating,
      text,
      variantLabel: variant ? variantLabel(variant.options) : "",
      createdAt: deps.clock.now(),
    };
    await tx.reviews.insert(review);
    const totals = await tx.products.addRating(productId, review.rating);
    await tx.shops.addRating(product.shopId, review.rating);
    const productRating = ratingSummary(totals);
    await tx.events.reviewPosted(review, productRating);
    return { review, productRating };
  });
}

/** A product's reviews newest first, with its rating. */
export async function listReviews(
  deps: CatalogDeps,
  productId: string,
  page: { limit: number; cursor: string },
): Promise<Page<ReviewRecord> & { rating: { average: number; count: number } }> {
  const id = checkId("product_id", productId);
  const limit = pageLimit(page.limit);
  if (page.cursor !== "" && !isId(page.cursor)) {
    throw errors.invalid("bad cursor", [{ field: "cursor", message: "is not a cursor from this list" }]);
  }
  const product = await deps.reads.product(id, deps.clock.now());
  if (!product || product.status === "draft") throw errors.notFound("product");
  const rows = await deps.reads.reviews(id, page.cursor === "" ? null : page.cursor.toLowerCase(), limit + 1);
  const items = rows.slice(0, limit);
  return {
    items,
    nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null,
    rating: ratingSummary({ sum: product.ratingSum, count: product.ratingCount }),
  };
}

/**
 * `OrderCompleted` handler: records review rights for each line of a product in this catalog
 * and adds to sold counts, in the consumer's transaction (with its inbox row). Lines of
 * unknown products are ignored.
 */
export async function recordCompletedOrder(tx: CatalogTx, order: CompletedOrder): Promise<number> {
  const lines = order.lines.filter((l) => isId(l.productId) && l.lineId !== "" && l.quantity > 0);
  if (order.orderId === "" || order.buyerId === "" || lines.length === 0) return 0;
  return tx.reviews.recordPurchases({
    ...order,
    lines: lines.map((l) => ({ ...l, productId: l.productId.toLowerCase() })),
  });
}
