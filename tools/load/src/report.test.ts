import assert from "node:assert/strict";
import { test } from "node:test";
import type { Sample } from "./client.ts";
import { buildReport, renderMarkdown } from "./report.ts";
import { niceMax, renderChart, timeStep } from "./svg.ts";

const start = Date.parse("2026-01-01T00:00:00Z");
const samples: Sample[] = Array.from({ length: 200 }, (_, i) => ({
  name: i % 4 === 0 ? "GET /search" : "GET /products/{id}",
  status: i === 7 ? 503 : 200,
  ms: 5 + (i % 50),
  at: start + i * 100,
}));

function report() {
  return buildReport({
    kind: "chaos",
    start,
    end: start + 20_000,
    users: 10,
    rampS: 5,
    thinkMs: 1000,
    seed: 1,
    machine: {
      cpus: "Test CPU",
      cores: 2,
      memoryGb: 8,
      os: "Linux",
      node: "20",
      loadBefore: [1, 2, 3],
      loadAfter: [4, 5, 6],
    },
    samples,
    actions: { browse: 60, search: 20, cart: 12, checkout: 5, seller: 3 },
    faults: [{ at: 7, fault: { kind: "kill", service: "order" }, outcome: "killed pid 42" }],
    audit: [
      { name: "orders consistent", ok: true, detail: "3 orders" },
      { name: "no event lost", ok: false, detail: "order: 2 events | not published" },
    ],
    notes: ["a note"],
  });
}

test("the report sums the run, its routes, faults and audit", () => {
  const r = report();
  assert.equal(r.total.requests, 200);
  assert.equal(r.total.errors, 1);
  assert.equal(r.rps, 10);
  assert.equal(r.timeline.length, 4);
  assert.equal(r.routes[0]?.name, "GET /products/{id}");
  const md = renderMarkdown(r, "latest.svg");
  assert.match(md, /^# Chaos run — 2026-01-01T00:00:00.000Z/);
  assert.match(md, /2 × Test CPU, 8 GB RAM, Linux, Node 20; load average 1.00 \/ 2.00 \/ 3.00 before/);
  assert.match(md, /200 requests, 10.0\/s; 1 errors/);
  assert.match(md, /!\[throughput and latency over time\]\(latest.svg\)/);
  assert.match(md, /\| GET \/products\/\{id\} \| 150 \| 1 \|/);
  assert.match(md, /\| 7 \| SIGKILL order \| killed pid 42 \|/);
  assert.match(md, /1 passed, 1 failed/);
  // A pipe in a detail must not break the table.
  assert.match(md, /\| no event lost \| \*\*FAIL\*\* \| order: 2 events \\\| not published \|/);
});

test("the chart is one SVG with throughput bars, three percentile lines and the fault markers", () => {
  const svg = renderChart(report().timeline, "Chaos <run>", [{ t: 7, label: "SIGKILL order" }]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\n$/);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 3);
  // One bar per window, one for the window with a failed request, and the background.
  assert.equal((svg.match(/<rect /g) ?? []).length, 1 + 4 + 1);
  assert.match(svg, /<title>7 s: SIGKILL order<\/title>/);
  assert.match(svg, /Chaos &lt;run&gt;/);
  // Every opened element is closed or self-closing.
  const open = (svg.match(/<(svg|g|line|text)[\s>]/g) ?? []).length;
  const closed = (svg.match(/<\/(svg|g|line|text)>|\/>/g) ?? []).length;
  assert.ok(closed >= open, `${open} opened, ${closed} closed`);
  assert.ok(!/NaN|undefined/.test(svg));
});

test("axes end on round numbers", () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 8);
  assert.equal(niceMax(13), 20);
  assert.equal(niceMax(450), 600);
  assert.equal(niceMax(100), 100);
  assert.equal(timeStep(65), 10);
  assert.equal(timeStep(300), 30);
  assert.equal(timeStep(8), 1);
});
