import assert from "node:assert/strict";
import { test } from "node:test";
import { days, finishedOrders, percent, type Scorecard, scorecardSummary } from "./scorecard.ts";

const card: Scorecard = {
  supplier_id: "sup1",
  purchase_orders: 4,
  on_time_rate: 0.75,
  fill_rate: 0.9375,
  average_lead_time_days: 3.25,
  rejection_rate: 0.0625,
};

test("rates as whole percents, days to one decimal", () => {
  assert.equal(percent(0), "0%");
  assert.equal(percent(0.875), "88%");
  assert.equal(percent(1), "100%");
  assert.equal(percent(1.2), "100%");
  assert.equal(percent(Number.NaN), "–");
  assert.equal(days(3), "3");
  assert.equal(days(3.25), "3.3");
  assert.equal(days(0.04), "0");
});

test("only this supplier's received or closed orders are finished", () => {
  const orders = [
    { supplier_id: "sup1", status: "received" },
    { supplier_id: "sup1", status: "CLOSED" },
    { supplier_id: "sup1", status: "partially_received" },
    { supplier_id: "sup1", status: "sent" },
    { supplier_id: "sup2", status: "received" },
  ];
  assert.equal(finishedOrders(orders, "sup1"), 2);
  assert.equal(finishedOrders(orders, "sup3"), 0);
});

test("the summary says when there is nothing to measure rather than showing 0%", () => {
  assert.deepEqual(scorecardSummary({ ...card, purchase_orders: 0 }, 0, 3), { state: "noOrders" });
  assert.deepEqual(scorecardSummary(card, 0, 3), { state: "notMeasured", sent: 4 });
  assert.deepEqual(scorecardSummary(card, 3, 3), {
    state: "measured",
    sent: 4,
    finished: 3,
    onTime: "75%",
    fill: "94%",
    rejection: "6%",
    leadDays: "3.3",
    slower: true,
  });
  const summary = scorecardSummary(card, 3, 5);
  assert.equal(summary.state === "measured" && summary.slower, false);
});
