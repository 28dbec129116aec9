import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { checkNewSchedule, effectivePrice, type ScheduleTerms, schedulePrice } from "./pricing.ts";

const T0 = Date.parse("2025-06-01T00:00:00Z");
const at = (ms: number) => new Date(T0 + ms);
const base = { basePrice: 100_000 };

function schedule(over: Partial<ScheduleTerms> & { id: string }): ScheduleTerms {
  return {
    price: 80_000,
    percentOff: null,
    startsAt: at(1_000),
    endsAt: at(2_000),
    createdAt: at(0),
    ...over,
  };
}

describe("effectivePrice at the boundaries of one schedule", () => {
  const s = schedule({ id: "s1" });
  const cases: [string, number, number, string | null][] = [
    ["long before the start", -10_000, 100_000, null],
    ["1 ms before the start", 999, 100_000, null],
    ["exactly at the start (inclusive)", 1_000, 80_000, "s1"],
    ["inside", 1_500, 80_000, "s1"],
    ["1 ms before the end", 1_999, 80_000, "s1"],
    ["exactly at the end (exclusive)", 2_000, 100_000, null],
    ["after the end", 5_000, 100_000, null],
  ];
  for (const [name, ms, price, scheduleId] of cases) {
    test(name, () => assert.deepEqual(effectivePrice(base, [s], at(ms)), { price, scheduleId }));
  }

  test("an open-ended schedule never ends", () => {
    const open = schedule({ id: "open", endsAt: null });
    assert.deepEqual(effectivePrice(base, [open], at(999)), { price: 100_000, scheduleId: null });
    assert.deepEqual(effectivePrice(base, [open], at(1_000)), { price: 80_000, scheduleId: "open" });
    assert.deepEqual(effectivePrice(base, [open], at(10 ** 12)), { price: 80_000, scheduleId: "open" });
  });

  test("no schedules: the base price", () => {
    assert.deepEqual(effectivePrice(base, [], at(0)), { price: 100_000, scheduleId: null });
  });
});

describe("effectivePrice with overlapping schedules: the lowest price wins", () => {
  const promo = schedule({ id: "promo", price: 90_000, startsAt: at(0), endsAt: at(10_000) });
  const flash = schedule({ id: "flash", price: 50_000, startsAt: at(2_000), endsAt: at(3_000) });

  test("a flash sale inside a promotion applies only during the flash window", () => {
    assert.equal(effectivePrice(base, [promo, flash], at(1_999)).scheduleId, "promo");
    assert.deepEqual(effectivePrice(base, [promo, flash], at(2_000)), { price: 50_000, scheduleId: "flash" });
    assert.deepEqual(effectivePrice(base, [promo, flash], at(2_999)), { price: 50_000, scheduleId: "flash" });
    assert.deepEqual(effectivePrice(base, [promo, flash], at(3_000)), { price: 90_000, scheduleId: "promo" });
    assert.deepEqual(effectivePrice(base, [promo, flash], at(10_000)), { price: 100_000, scheduleId: null });
  });

  test("order of the list does not matter", () => {
    assert.deepEqual(
      effectivePrice(base, [flash, promo], at(2_500)),
      effectivePrice(base, [promo, flash], at(2_500)),
    );
  });

  test("a later-starting but dearer schedule does not win", () => {
    const dearer = schedule({ id: "dearer", price: 95_000, startsAt: at(5_000), endsAt: null });
    assert.equal(effectivePrice(base, [promo, dearer], at(6_000)).scheduleId, "promo");
  });

  test("ties go to the latest-starting schedule, then the latest-created", () => {
    const a = schedule({ id: "a", price: 70_000, startsAt: at(0), endsAt: null, createdAt: at(-5) });
    const b = schedule({ id: "b", price: 70_000, startsAt: at(100), endsAt: null, createdAt: at(-9) });
    const c = schedule({ id: "c", price: 70_000, startsAt: at(100), endsAt: null, createdAt: at(-1) });
    assert.equal(effectivePrice(base, [a, b], at(200)).scheduleId, "b");
    assert.equal(effectivePrice(base, [c, b, a], at(200)).scheduleId, "c");
    assert.equal(effectivePrice(base, [a, b, c], at(50)).scheduleId, "a");
  });

  test("a fixed price at or above the base price never raises it", () => {
    const same = schedule({ id: "same", price: 100_000, startsAt: at(0), endsAt: null });
    const higher = schedule({ id: "higher", price: 120_000, startsAt: at(0), endsAt: null });
    assert.deepEqual(effectivePrice(base, [same, higher], at(1)), { price: 100_000, scheduleId: null });
  });

  test("percent and fixed schedules compare by resulting price", () => {
    const pct = schedule({ id: "pct", price: null, percentOff: 25, startsAt: at(0), endsAt: null });
    const fixed = schedule({ id: "fixed", price: 76_000, startsAt: at(0), endsAt: null });
    assert.deepEqual(effectivePrice(base, [pct, fixed], at(1)), { price: 75_000, scheduleId: "pct" });
  });
});

describe("schedulePrice", () => {
  test("percent off rounds down to whole rupiah", () => {
    assert.equal(schedulePrice(99_999, { price: null, percentOff: 15 }), 84_999);
    assert.equal(schedulePrice(1_000, { price: null, percentOff: 33 }), 670);
  });
  test("never below 1 rupiah", () => {
    assert.equal(schedulePrice(1, { price: null, percentOff: 99 }), 1);
  });
  test("percent of a large price stays exact", () => {
    assert.equal(schedulePrice(9_999_999_999, { price: null, percentOff: 1 }), 9_899_999_999);
  });
});

describe("checkNewSchedule", () => {
  const now = at(0);
  const invalid = (input: Parameters<typeof checkNewSchedule>[0]) =>
    assert.throws(
      () => checkNewSchedule(input, 100_000, now),
      (e: unknown) => e instanceof DomainError && e.kind === "invalid",
    );

  test("accepts a fixed discount and clamps a past start to now", () => {
    const s = checkNewSchedule(
      { price: 90_000, percentOff: null, startsAt: at(-5_000), endsAt: at(1_000) },
      100_000,
      now,
    );
    assert.equal(s.startsAt.getTime(), now.getTime());
  });
  test("refuses both or neither of price and percent", () => {
    invalid({ price: 90_000, percentOff: 10, startsAt: at(1), endsAt: null });
    invalid({ price: null, percentOff: null, startsAt: at(1), endsAt: null });
  });
  test("refuses a price at or above the base, zero or negative", () => {
    invalid({ price: 100_000, percentOff: null, startsAt: at(1), endsAt: null });
    invalid({ price: 0, percentOff: null, startsAt: at(1), endsAt: null });
    invalid({ price: -5, percentOff: null, startsAt: at(1), endsAt: null });
    invalid({ price: 10.5, percentOff: null, startsAt: at(1), endsAt: null });
  });
  test("refuses percent outside 1–99", () => {
    invalid({ price: null, percentOff: 0, startsAt: at(1), endsAt: null });
    invalid({ price: null, percentOff: 100, startsAt: at(1), endsAt: null });
  });
  test("refuses an end at or before the start, or already past", () => {
    invalid({ price: 90_000, percentOff: null, startsAt: at(1_000), endsAt: at(1_000) });
    invalid({ price: 90_000, percentOff: null, startsAt: at(-2_000), endsAt: at(-1_000) });
  });
});
