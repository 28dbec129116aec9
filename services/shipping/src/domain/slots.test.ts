import assert from "node:assert/strict";
import { test } from "node:test";
import { COURIER_PICKUP, DAYTIME_DELIVERY } from "../data/carriers/pickup.ts";
import { deliverySlots, pickupSlots } from "./slots.ts";

// Friday 5 December 2025, 10:30 in Jakarta (UTC+7) = 03:30 UTC.
const friday = new Date("2025-12-05T03:30:00Z");

test("pickup windows skip the one starting within the hour and Sundays, in local time", () => {
  const slots = pickupSlots(COURIER_PICKUP, friday, 7);
  // Friday 13–17 WIB, Saturday 9–12 and 13–17; Sunday is skipped.
  assert.deepEqual(
    slots.map((s) => [s.start.toISOString(), s.end.toISOString()]),
    [
      ["2025-12-05T06:00:00.000Z", "2025-12-05T10:00:00.000Z"],
      ["2025-12-06T02:00:00.000Z", "2025-12-06T05:00:00.000Z"],
      ["2025-12-06T06:00:00.000Z", "2025-12-06T10:00:00.000Z"],
    ],
  );
  assert.equal(slots[0]?.id, "20251205T060000Z-20251205T100000Z");
});

test("in Makassar (UTC+8) the same windows are an hour earlier in UTC", () => {
  assert.equal(pickupSlots(COURIER_PICKUP, friday, 8)[0]?.start.toISOString(), "2025-12-05T05:00:00.000Z");
});

test("delivery windows start on the earliest arrival day", () => {
  const slots = deliverySlots(DAYTIME_DELIVERY, friday, 7, 1);
  assert.equal(slots.length, 6);
  assert.equal(slots[0]?.start.toISOString(), "2025-12-06T02:00:00.000Z");
});
