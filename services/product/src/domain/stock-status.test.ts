import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_LOW_STOCK, stockStatus } from "./stock-status.ts";

test("none left (or oversold) is out of stock", () => {
  assert.equal(stockStatus(0, 10), "out_of_stock");
  assert.equal(stockStatus(-3, 0), "out_of_stock");
});

test("at or below the seller's reorder point is low; above it in stock", () => {
  assert.equal(stockStatus(1, 20), "low_stock");
  assert.equal(stockStatus(20, 20), "low_stock");
  assert.equal(stockStatus(21, 20), "in_stock");
});

test("without a reorder point the default threshold applies", () => {
  assert.equal(stockStatus(DEFAULT_LOW_STOCK, 0), "low_stock");
  assert.equal(stockStatus(DEFAULT_LOW_STOCK + 1, 0), "in_stock");
});
