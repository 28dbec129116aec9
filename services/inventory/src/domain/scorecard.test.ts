import assert from "node:assert/strict";
import { test } from "node:test";
import { scorecard } from "./scorecard.ts";

const d = (day: number) => new Date(Date.UTC(2025, 0, day));

test("scorecard over finished, partial and cancelled orders", () => {
  const card = scorecard([
    // on time, full: lead 3 days
    {
      status: "received",
      sentAt: d(1),
      expectedAt: d(5),
      lastReceiptAt: d(4),
      ordered: 10,
      accepted: 10,
      rejected: 2,
    },
    // late, full: lead 7 days
    {
      status: "received",
      sentAt: d(1),
      expectedAt: d(5),
      lastReceiptAt: d(8),
      ordered: 10,
      accepted: 10,
      rejected: 0,
    },
    // closed short: 5 of 20, lead 2 days, not on time (not full)
    {
      status: "closed",
      sentAt: d(10),
      expectedAt: d(14),
      lastReceiptAt: d(12),
      ordered: 20,
      accepted: 5,
      rejected: 3,
    },
    // still open: counts for rejections only
    {
      status: "partially_received",
      sentAt: d(1),
      expectedAt: d(5),
      lastReceiptAt: d(2),
      ordered: 4,
      accepted: 1,
      rejected: 1,
    },
    {
      status: "cancelled",
      sentAt: d(1),
      expectedAt: d(5),
      lastReceiptAt: null,
      ordered: 9,
      accepted: 0,
      rejected: 0,
    },
    {
      status: "draft",
      sentAt: null,
      expectedAt: null,
      lastReceiptAt: null,
      ordered: 9,
      accepted: 0,
      rejected: 0,
    },
  ]);
  assert.equal(card.purchaseOrders, 4);
  assert.equal(card.onTimeRate, 1 / 3);
  assert.equal(card.fillRate, 25 / 40);
  assert.equal(card.averageLeadTimeDays, 4);
  assert.equal(card.rejectionRate, 6 / 32);
});

test("a supplier with no history scores zeros, not NaN", () => {
  assert.deepEqual(scorecard([]), {
    purchaseOrders: 0,
    onTimeRate: 0,
    fillRate: 0,
    averageLeadTimeDays: 0,
    rejectionRate: 0,
  });
});
