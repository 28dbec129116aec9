import assert from "node:assert/strict";
import { test } from "node:test";
import { type Preference, preferenceChanges, preferenceGrid, toggle } from "./notification-prefs.ts";

const p = (channel: string, category: string, enabled: boolean, locked = false): Preference => ({
  channel,
  category,
  enabled,
  locked,
});
const saved: Preference[] = [
  p("in_app", "marketing", false),
  p("email", "marketing", false),
  p("email", "orders", true, true),
  p("in_app", "orders", true, true),
  p("sms", "orders", false),
  p("email", "account", true, true),
  p("push", "orders", true),
];

test("a row per category in a fixed order, a cell per channel, absent pairs left empty", () => {
  const grid = preferenceGrid(saved);
  assert.deepEqual(grid.channels, ["email", "sms", "in_app", "push"]);
  assert.deepEqual(
    grid.rows.map((r) => r.category),
    ["account", "orders", "marketing"],
  );
  const orders = grid.rows[1];
  assert.deepEqual(
    orders?.cells.map((c) => c && [c.enabled, c.locked]),
    [
      [true, true],
      [false, false],
      [true, true],
      [true, false],
    ],
  );
  assert.equal(grid.rows[0]?.cells[1], undefined);
});

test("locked switches cannot be turned off; only real changes are sent", () => {
  let current = toggle(saved, "email", "orders", false);
  assert.deepEqual(current, saved, "transactional email stays on");
  assert.deepEqual(preferenceChanges(saved, current), []);
  current = toggle(current, "email", "marketing", true);
  current = toggle(current, "sms", "orders", true);
  assert.deepEqual(preferenceChanges(saved, current), [
    { channel: "email", category: "marketing", enabled: true },
    { channel: "sms", category: "orders", enabled: true },
  ]);
  // Turned on and off again: nothing to send.
  current = toggle(current, "sms", "orders", false);
  assert.deepEqual(preferenceChanges(saved, current), [
    { channel: "email", category: "marketing", enabled: true },
  ]);
});
