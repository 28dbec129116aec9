import { metricsRegistry } from "@toko/kit";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import type { Metric } from "prom-client";
import { addRouteHook, singleMethod } from "./route-hooks.ts";

const REQUESTS = "gateway_http_requests_total";
const DURATION = "gateway_http_request_duration_seconds";
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One (method, route) pair's counts in plain numbers: a request costs a map update and a bucket
 * scan, no label objects, hashing or validation (prom-client does all three per call). The
 * registry reads the numbers when scraped.
 */
class RouteSeries {
  readonly byStatus = new Map<number, number>();
  readonly bucketCounts = new Float64Array(buckets.length);
  count = 0;
  sum = 0;
  constructor(
    readonly method: string,
    readonly route: string,
  ) {}

  observe(status: number, seconds: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.count += 1;
    this.sum += seconds;
    for (let i = 0; i < buckets.length; i++) {
      if (seconds <= (buckets[i] as number)) {
        this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1;
        return;
      }
    }
  }
}

// Per process, like any prom-client metric: gateways built in one process (tests) share series.
const series: RouteSeries[] = [];
const seriesByKey = new Map<string, RouteSeries>();
function seriesFor(method: string, route: string): RouteSeries {
  const key = `${method} ${route}`;
  let s = seriesByKey.get(key);
  if (s === undefined) {
    s = new RouteSeries(method, route);
    seriesByKey.set(key, s);
    series.push(s);
  }
  return s;
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };
/** A read-only metric in prom-client's registry shape, computed from the series at scrape time. */
function scraped(name: string, help: string, type: "counter" | "histogram", values: () => Value[]) {
  const read = async () => ({ name, help, type, aggregator: "sum", values: values() });
  return { name, help, type, aggregator: "sum", get: read, reset() {} } as unknown as Metric;
}

metricsRegistry.registerMetric(
  scraped(REQUESTS, "HTTP requests served by the gateway", "counter", () =>
    series.flatMap((s) =>
      [...s.byStatus].map(([status, value]) => ({
        labels: { method: s.method, route: s.route, status: String(status) },
        value,
      })),
    ),
  ),
);
metricsRegistry.registerMetric(
  scraped(DURATION, "HTTP request latency at the gateway", "histogram", () =>
    series.flatMap((s) => {
      // Registered routes that never answered have no series, as with prom-client.
      if (s.count === 0) return [];
      const labels = { method: s.method, route: s.route };
      let cumulative = 0;
      const rows: Value[] = buckets.map((le, i) => {
        cumulative += s.bucketCounts[i] ?? 0;
        return { labels: { ...labels, le }, value: cumulative, metricName: `${DURATION}_bucket` };
      });
      rows.push(
        { labels: { ...labels, le: "+Inf" }, value: s.count, metricName: `${DURATION}_bucket` },
        { labels, value: s.sum, metricName: `${DURATION}_sum` },
        { labels, value: s.count, metricName: `${DURATION}_count` },
      );
      return rows;
    }),
  ),
);

/** An `onResponse` hook recording into the series of `route`, resolved once per method. */
function recorderFor(route: string, method: string | undefined) {
  const fixed = method === undefined ? undefined : seriesFor(method, route);
  const byMethod = new Map<string, RouteSeries>();
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    let s = fixed ?? byMethod.get(request.method);
    if (s === undefined) {
      s = seriesFor(request.method, route);
      byMethod.set(request.method, s);
    }
    s.observe(reply.statusCode, reply.elapsedTime / 1000);
    done();
  };
}

/** Per-route request counts and latency, labelled by route pattern (never by raw URL). */
export function installMetrics(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    addRouteHook(route, "onResponse", recorderFor(route.url, singleMethod(route)));
  });
  // Unknown paths have no route hooks: one "unmatched" series per method.
  const unmatched = recorderFor("unmatched", undefined);
  app.addHook("onResponse", (request, reply, done) => {
    if (request.is404) unmatched(request, reply, done);
    else done();
  });
}
