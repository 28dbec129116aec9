import assert from "node:assert/strict";
import { test } from "node:test";
import { type Action, activeUsers, MIX, pickAction, rng, thinkTime } from "./mix.ts";

test("the mix's weights are the issue's shares and sum to 100", () => {
  assert.deepEqual(
    MIX.map((m) => [m.action, m.weight]),
    [
      ["browse", 60],
      ["search", 20],
      ["cart", 12],
      ["checkout", 5],
      ["seller", 3],
    ],
  );
});

test("picking by weight reproduces the mix within a percent over many draws", () => {
  const random = rng(42);
  const n = 100_000;
  const counts = new Map<Action, number>();
  for (let i = 0; i < n; i++) {
    const a = pickAction(random());
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  for (const m of MIX) {
    const share = ((counts.get(m.action) ?? 0) / n) * 100;
    assert.ok(Math.abs(share - m.weight) < 1, `${m.action}: ${share.toFixed(2)}% vs ${m.weight}%`);
  }
  // The boundaries: the lowest draw is the first action, the highest the last.
  assert.equal(pickAction(0), "browse");
  assert.equal(pickAction(0.9999), "seller");
  assert.equal(pickAction(0.6), "search");
});

test("the generator is reproducible from its seed", () => {
  const a = rng(7);
  const b = rng(7);
  const c = rng(8);
  const first = [a(), a(), a()];
  assert.deepEqual(first, [b(), b(), b()]);
  assert.notDeepEqual(first, [c(), c(), c()]);
  for (const v of first) assert.ok(v >= 0 && v < 1);
});

test("think time is exponential around its mean and capped", () => {
  const random = rng(1);
  let sum = 0;
  const n = 50_000;
  for (let i = 0; i < n; i++) {
    const t = thinkTime(random(), 1000);
    assert.ok(t >= 0 && t <= 4000);
    sum += t;
  }
  // The cap at 4× trims the tail a little below the mean.
  assert.ok(sum / n > 900 && sum / n < 1000, `mean ${sum / n}`);
  assert.equal(thinkTime(0, 1000), 0);
  assert.equal(thinkTime(0.99999999, 1000), 4000);
});

test("the ramp adds users linearly, then holds them all", () => {
  assert.equal(activeUsers(0, 30, 10_000), 1);
  assert.equal(activeUsers(5_000, 30, 10_000), 15);
  assert.equal(activeUsers(9_999, 30, 10_000), 30);
  assert.equal(activeUsers(60_000, 30, 10_000), 30);
  assert.equal(activeUsers(0, 30, 0), 30);
});
