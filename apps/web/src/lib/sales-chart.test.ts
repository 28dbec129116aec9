import assert from "node:assert/strict";
import { test } from "node:test";
import { bars, dailySales } from "./sales-chart.ts";

test("sales are summed per day over the window; unpaid and cancelled orders do not count", () => {
  const days = dailySales(
    [
      { created_at: "2026-03-10T08:00:00Z", status: "COMPLETED", total: 100 },
      { created_at: "2026-03-10T23:00:00Z", status: "PAID", total: 50 },
      { created_at: "2026-03-09T08:00:00Z", status: "CANCELLED", total: 999 },
      { created_at: "2026-03-08T08:00:00Z", status: "AWAITING_PAYMENT", total: 999 },
      { created_at: "2026-01-01T08:00:00Z", status: "COMPLETED", total: 999 },
    ],
    new Date("2026-03-10T12:00:00Z"),
    3,
  );
  assert.deepEqual(days, [
    { date: "2026-03-08", amount: 0 },
    { date: "2026-03-09", amount: 0 },
    { date: "2026-03-10", amount: 150 },
  ]);
});

test("the tallest bar fills the chart and an empty chart has flat bars", () => {
  const b = bars(
    [
      { date: "a", amount: 50 },
      { date: "b", amount: 100 },
    ],
    200,
    100,
  );
  assert.equal(b[1]!.height, 100);
  assert.equal(b[0]!.height, 50);
  assert.equal(b[0]!.y, 50);
  assert.ok(bars([{ date: "a", amount: 0 }], 100, 100).every((x) => x.height === 0));
});
