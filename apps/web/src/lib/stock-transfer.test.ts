import assert from "node:assert/strict";
import { test } from "node:test";
import {
  availableAt,
  type Level,
  readTransfers,
  type Transfer,
  trackTransfers,
  transferProblem,
} from "./stock-transfer.ts";

const levels: Level[] = [
  { sku: "TAS-H", warehouse_id: "w1", on_hand: 25, reserved: 5, available: 20 },
  { sku: "TAS-H", warehouse_id: "w2", on_hand: 3, reserved: 0, available: 3 },
];
const ok = { sku: "TAS-H", from: "w1", to: "w2", quantity: "5" };

test("units available at a warehouse, 0 when it holds none", () => {
  assert.equal(availableAt(levels, "TAS-H", "w1"), 20);
  assert.equal(availableAt(levels, "TAS-H", "w3"), 0);
  assert.equal(availableAt(levels, "TAS-M", "w1"), 0);
});

test("a transfer needs two different warehouses and a whole quantity the source has", () => {
  assert.equal(transferProblem(ok, levels), undefined);
  assert.equal(transferProblem({ ...ok, quantity: "20" }, levels), undefined);
  assert.equal(transferProblem({ ...ok, to: "" }, levels), "incomplete");
  assert.equal(transferProblem({ ...ok, to: "w1" }, levels), "sameWarehouse");
  assert.equal(transferProblem({ ...ok, quantity: "0" }, levels), "badQuantity");
  assert.equal(transferProblem({ ...ok, quantity: "2.5" }, levels), "badQuantity");
  assert.equal(transferProblem({ ...ok, quantity: "-1" }, levels), "badQuantity");
  // Reserved units are promised to buyers: only what is available may leave.
  assert.equal(transferProblem({ ...ok, quantity: "21" }, levels), "notEnough");
  assert.equal(transferProblem({ ...ok, from: "w2", to: "w1", quantity: "4" }, levels), "notEnough");
});

test("kept transfers: new ones first, a received one drops out, junk is ignored", () => {
  const t = (id: string, status = "in_transit"): Transfer => ({
    id,
    sku: "TAS-H",
    from_warehouse_id: "w1",
    to_warehouse_id: "w2",
    quantity: 5,
    status,
    created_at: null,
    received_at: null,
  });
  const kept = trackTransfers(trackTransfers([], t("a")), t("b"));
  assert.deepEqual(
    kept.map((x) => x.id),
    ["b", "a"],
  );
  assert.deepEqual(
    trackTransfers(kept, t("a", "received")).map((x) => x.id),
    ["b"],
  );
  assert.deepEqual(readTransfers(JSON.stringify(kept)), kept);
  assert.deepEqual(readTransfers("{not json"), []);
  assert.deepEqual(readTransfers(JSON.stringify([{ id: 1 }, t("c", "received"), "x"])), []);
  assert.deepEqual(readTransfers(null), []);
});
