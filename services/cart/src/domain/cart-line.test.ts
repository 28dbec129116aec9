import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkLineQuantity,
  isPurchasable,
  lineProblems,
  maxQuantity,
  mergedQuantity,
  stockStatus,
  type VariantFacts,
} from "./cart-line.ts";
import { parcelOf } from "./parcel.ts";

const facts = (over: Partial<VariantFacts> = {}): VariantFacts => ({
  price: 10_000,
  productStatus: "active",
  active: true,
  minOrder: 1,
  available: null,
  stockBadge: "in_stock",
  reorderPoint: 0,
  ...over,
});
const codeOf = (fn: () => void) => {
  try {
    fn();
    return "ok";
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe("cart lines", () => {
  it("bounds a quantity by 1, the minimum order, the line maximum and the stock", () => {
    assert.equal(
      codeOf(() => checkLineQuantity(0, facts(), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(-1, facts(), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(1.5, facts(), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(100, facts(), 100)),
      "ok",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(101, facts(), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(5, facts({ available: 5 }), 100)),
      "ok",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(6, facts({ available: 5 }), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(2, facts({ minOrder: 3 }), 100)),
      "VALIDATION_FAILED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(1, facts({ available: 0 }), 100)),
      "OUT_OF_STOCK",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(1, facts({ productStatus: "archived" }), 100)),
      "PRODUCT_ARCHIVED",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(1, facts({ productStatus: "draft" }), 100)),
      "NOT_FOUND",
    );
    assert.equal(
      codeOf(() => checkLineQuantity(1, facts({ active: false }), 100)),
      "NOT_FOUND",
    );
  });

  it("names every problem of a line and keeps repriced lines purchasable", () => {
    assert.deepEqual(lineProblems(2, 10_000, facts()), []);
    assert.deepEqual(lineProblems(2, 12_000, facts()), ["PRICE_CHANGED"]);
    assert.equal(isPurchasable(["PRICE_CHANGED"]), true);
    assert.deepEqual(lineProblems(2, 10_000, facts({ productStatus: "archived" })), ["PRODUCT_ARCHIVED"]);
    assert.deepEqual(lineProblems(2, 10_000, facts({ available: 0 })), ["OUT_OF_STOCK"]);
    assert.deepEqual(lineProblems(3, 10_000, facts({ available: 2 })), ["ABOVE_STOCK"]);
    assert.deepEqual(lineProblems(1, 10_000, facts({ minOrder: 2, active: false })), [
      "VARIANT_RETIRED",
      "BELOW_MIN_ORDER",
    ]);
    assert.equal(isPurchasable(["OUT_OF_STOCK"]), false);
  });

  it("reads stock from inventory's count once known, else the catalog badge", () => {
    assert.equal(stockStatus(facts({ stockBadge: "low_stock" })), "low_stock");
    assert.equal(stockStatus(facts({ available: 0 })), "out_of_stock");
    assert.equal(stockStatus(facts({ available: 3, reorderPoint: 3 })), "low_stock");
    assert.equal(stockStatus(facts({ available: 4, reorderPoint: 3 })), "in_stock");
    assert.equal(stockStatus(facts({ available: 5 })), "low_stock", "5 without a reorder point");
    assert.equal(stockStatus(facts({ available: 6 })), "in_stock");
    assert.equal(maxQuantity(facts({ available: 7 }), 100), 7);
    assert.equal(maxQuantity(facts(), 100), 100);
  });

  it("merges quantities up to the maximum and the stock", () => {
    assert.equal(mergedQuantity(2, 3, facts(), 100), 5);
    assert.equal(mergedQuantity(60, 60, facts(), 100), 100);
    assert.equal(mergedQuantity(2, 3, facts({ available: 4 }), 100), 4);
    assert.equal(
      mergedQuantity(0, 3, facts({ available: 0 }), 100),
      3,
      "an unsellable line keeps its quantity",
    );
  });
});

describe("parcelOf", () => {
  it("adds weights and stacks units", () => {
    assert.deepEqual(
      parcelOf([
        { quantity: 2, weightGrams: 300, lengthCm: 20, widthCm: 10, heightCm: 5 },
        { quantity: 1, weightGrams: 1_000, lengthCm: 30, widthCm: 8, heightCm: 10 },
        { quantity: 3, weightGrams: 50, lengthCm: 0, widthCm: 0, heightCm: 0 },
      ]),
      { weightGrams: 1_750, lengthCm: 30, widthCm: 10, heightCm: 20 },
    );
    assert.deepEqual(parcelOf([{ quantity: 1, weightGrams: 0, lengthCm: 0, widthCm: 0, heightCm: 0 }]), {
      weightGrams: 1,
      lengthCm: 0,
      widthCm: 0,
      heightCm: 0,
    });
  });
});
