import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { addRating, ratingSummary } from "./rating.ts";
import { checkReviewContent, chooseReviewableLine, type PurchasedLine } from "./review.ts";

const line = (over: Partial<PurchasedLine>): PurchasedLine => ({
  orderId: "o1",
  lineId: "l1",
  buyerId: "u1",
  productId: "p1",
  variantId: "v1",
  completedAt: new Date("2025-01-01T00:00:00Z"),
  reviewed: false,
  ...over,
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : "other";
  }
  return "none";
};

test("a buyer without a completed purchase of the product is refused", () => {
  assert.equal(
    code(() => chooseReviewableLine([], "u1", "p1", null)),
    "REVIEW_NOT_ALLOWED",
  );
  assert.equal(
    code(() => chooseReviewableLine([line({ buyerId: "u2" })], "u1", "p1", null)),
    "REVIEW_NOT_ALLOWED",
  );
  assert.equal(
    code(() => chooseReviewableLine([line({ productId: "p2" })], "u1", "p1", null)),
    "REVIEW_NOT_ALLOWED",
  );
  assert.equal(
    code(() => chooseReviewableLine([line({})], "u1", "p1", { orderId: "other", lineId: "" })),
    "REVIEW_NOT_ALLOWED",
  );
});

test("one review per purchased line; the oldest open line is chosen", () => {
  const lines = [
    line({ orderId: "o2", lineId: "a", completedAt: new Date("2025-02-01T00:00:00Z") }),
    line({ orderId: "o1", lineId: "b", reviewed: true }),
    line({ orderId: "o3", lineId: "c", completedAt: new Date("2025-01-15T00:00:00Z") }),
  ];
  assert.equal(chooseReviewableLine(lines, "u1", "p1", null).lineId, "c");
  assert.equal(chooseReviewableLine(lines, "u1", "p1", { orderId: "o2", lineId: "" }).lineId, "a");
  assert.equal(
    code(() => chooseReviewableLine(lines, "u1", "p1", { orderId: "o1", lineId: "b" })),
    "ALREADY_REVIEWED",
  );
});

test("stars must be 1–5 whole numbers and text bounded", () => {
  for (const bad of [0, 6, 2.5, -1, Number.NaN])
    assert.equal(
      code(() => checkReviewContent(bad, "ok")),
      "VALIDATION_FAILED",
    );
  assert.equal(
    code(() => checkReviewContent(5, "x".repeat(2_001))),
    "VALIDATION_FAILED",
  );
  assert.equal(checkReviewContent(5, "  bagus  "), "bagus");
});

test("rating summary averages to one decimal", () => {
  assert.deepEqual(ratingSummary({ sum: 0, count: 0 }), { average: 0, count: 0 });
  let totals = { sum: 0, count: 0 };
  for (const stars of [5, 4, 4]) totals = addRating(totals, stars);
  assert.deepEqual(ratingSummary(totals), { average: 4.3, count: 3 });
});
