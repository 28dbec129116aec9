import assert from "node:assert/strict";
import { test } from "node:test";
import type { Sample } from "./client.ts";
import { byRoute, percentile, summarize, timeline } from "./stats.ts";

test("percentiles by nearest rank", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), 0);
  assert.equal(percentile([1, 2, 3, 4], 0), 1);
});

const sample = (name: string, at: number, ms: number, status = 200): Sample => ({ name, at, ms, status });

test("a summary counts no answer and 5xx as errors, not 4xx", () => {
  const s = summarize([
    sample("a", 0, 10),
    sample("a", 0, 20, 404),
    sample("a", 0, 30, 503),
    sample("a", 0, 40, 0),
  ]);
  assert.equal(s.requests, 4);
  assert.equal(s.errors, 2);
  assert.equal(s.max, 40);
  assert.equal(s.p50, 20);
});

test("the timeline buckets throughput and percentiles per window", () => {
  const start = 1_000_000;
  const samples = [
    sample("a", start + 100, 10),
    sample("a", start + 4_900, 30),
    sample("b", start + 5_000, 50, 500),
    sample("b", start + 14_999, 70),
    sample("b", start + 20_000, 1),
  ];
  const rows = timeline(samples, start, start + 15_000, 5);
  assert.equal(rows.length, 3);
  assert.deepEqual(
    rows.map((r) => [r.t, r.requests, r.rps, r.errors, r.p99]),
    [
      [0, 2, 0.4, 0, 30],
      [5, 1, 0.2, 1, 50],
      [10, 1, 0.2, 0, 70],
    ],
  );
});

test("routes are listed by request count", () => {
  const routes = byRoute([sample("x", 0, 1), sample("y", 0, 1), sample("y", 0, 3)]);
  assert.deepEqual(
    routes.map((r) => [r.name, r.summary.requests]),
    [
      ["y", 2],
      ["x", 1],
    ],
  );
});
