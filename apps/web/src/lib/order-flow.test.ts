import assert from "node:assert/strict";
import { test } from "node:test";
import { buyerActions, orderTimeline, sellerActions } from "./order-flow.ts";

test("a paid order shows its past steps done, the current one, then what is to come", () => {
  const steps = orderTimeline({
    status: "PAID",
    history: [
      { status: "PAID", at: "2026-01-01T10:05:00Z" },
      { status: "AWAITING_PAYMENT", at: "2026-01-01T10:00:00Z" },
    ],
  });
  assert.deepEqual(
    steps.map((s) => [s.status, s.state]),
    [
      ["AWAITING_PAYMENT", "done"],
      ["PAID", "current"],
      ["PROCESSING", "upcoming"],
      ["SHIPPED", "upcoming"],
      ["DELIVERED", "upcoming"],
      ["COMPLETED", "upcoming"],
    ],
  );
  assert.equal(steps[0]!.at, "2026-01-01T10:00:00Z");
});

test("a cancelled order ends at cancelled, with nothing upcoming", () => {
  const steps = orderTimeline({
    status: "CANCELLED",
    history: [{ status: "AWAITING_PAYMENT", at: "2026-01-01T10:00:00Z" }],
  });
  assert.deepEqual(
    steps.map((s) => [s.status, s.state]),
    [
      ["AWAITING_PAYMENT", "done"],
      ["CANCELLED", "current"],
    ],
  );
});

test("actions follow the status", () => {
  assert.deepEqual(buyerActions("AWAITING_PAYMENT"), ["pay", "cancel"]);
  assert.deepEqual(buyerActions("SHIPPED"), []);
  assert.deepEqual(buyerActions("DELIVERED"), ["complete", "return"]);
  assert.deepEqual(buyerActions("COMPLETED"), ["review"]);
  assert.deepEqual(sellerActions("PAID"), ["accept", "reject"]);
  assert.deepEqual(sellerActions("PROCESSING"), ["ship"]);
  assert.deepEqual(sellerActions("CANCELLED"), []);
});
