// Per-call counters and histograms, read the way Prometheus reads them: the registry's text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FastCounter, FastHistogram, metricsRegistry } from "../src/index.ts";

const lines = async (prefix: string) =>
  (await metricsRegistry.metrics()).split("\n").filter((l) => l.startsWith(prefix));

test("a counter's series are resolved once and scraped with their labels", async () => {
  const counter = new FastCounter({ name: "fm_test_total", help: "test", labelNames: ["route", "status"] });
  const ok = counter.series("/a", "200");
  ok.inc();
  ok.inc(2);
  assert.equal(counter.series("/a", "200"), ok, "the same label values give the same series");
  counter.series("/a", "404").inc();
  assert.deepEqual(await lines("fm_test_total"), [
    'fm_test_total{route="/a",status="200"} 3',
    'fm_test_total{route="/a",status="404"} 1',
  ]);
});

test("a histogram counts each value in its first bucket at or above it; buckets are cumulative", async () => {
  const histogram = new FastHistogram({
    name: "fm_test_seconds",
    help: "test",
    labelNames: ["method"],
    buckets: [0.01, 0.1, 1],
  });
  const get = histogram.series("GET");
  for (const v of [0.005, 0.01, 0.05, 0.5, 3]) get.observe(v);
  histogram.series("POST"); // never observed: not exposed
  const out = await lines("fm_test_seconds");
  assert.deepEqual(out.slice(0, 4), [
    'fm_test_seconds_bucket{le="0.01",method="GET"} 2',
    'fm_test_seconds_bucket{le="0.1",method="GET"} 3',
    'fm_test_seconds_bucket{le="1",method="GET"} 4',
    'fm_test_seconds_bucket{le="+Inf",method="GET"} 5',
  ]);
  assert.match(out[4] ?? "", /^fm_test_seconds_sum\{method="GET"\} 3\.565/);
  assert.equal(out[5], 'fm_test_seconds_count{method="GET"} 5');
  assert.equal(out.length, 6);
});
