import assert from "node:assert/strict";
import { test } from "node:test";
import { allocate } from "./allocation.ts";

const wh = (warehouseId: string, available: number, isDefault = false) => ({
  warehouseId,
  available,
  isDefault,
});

test("the default warehouse is used first even when another has more", () => {
  assert.deepEqual(allocate(3, [wh("b", 50), wh("a", 5, true)]), [{ warehouseId: "a", quantity: 3 }]);
});

test("the rest comes from the warehouses with most available, ties by id", () => {
  assert.deepEqual(allocate(12, [wh("c", 4), wh("d", 6), wh("a", 5, true), wh("b", 6)]), [
    { warehouseId: "a", quantity: 5 },
    { warehouseId: "b", quantity: 6 },
    { warehouseId: "d", quantity: 1 },
  ]);
});

test("all or nothing: not enough across warehouses allocates nothing", () => {
  assert.equal(allocate(10, [wh("a", 4, true), wh("b", 5)]), undefined);
  assert.equal(allocate(1, []), undefined);
});

test("warehouses with nothing available are skipped", () => {
  assert.deepEqual(allocate(2, [wh("a", 0, true), wh("b", 2)]), [{ warehouseId: "b", quantity: 2 }]);
});
