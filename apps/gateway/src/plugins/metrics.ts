import { type CounterSeries, FastCounter, FastHistogram, type HistogramSeries } from "@toko/kit";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { addRouteHook, singleMethod } from "./route-hooks.ts";

// Per process, like any metric: gateways built in one process (tests) share series.
const requests = new FastCounter({
  name: "gateway_http_requests_total",
  help: "HTTP requests served by the gateway",
  labelNames: ["method", "route", "status"],
});
const duration = new FastHistogram({
  name: "gateway_http_request_duration_seconds",
  help: "HTTP request latency at the gateway",
  labelNames: ["method", "route"],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/** One (method, route) pair's series; a status code's counter is resolved on its first use. */
class RouteSeries {
  readonly #byStatus = new Map<number, CounterSeries>();
  readonly #duration: HistogramSeries;

  constructor(
    private readonly method: string,
    private readonly route: string,
  ) {
    this.#duration = duration.series(method, route);
  }

  observe(status: number, seconds: number): void {
    let counter = this.#byStatus.get(status);
    if (counter === undefined) {
      counter = requests.series(this.method, this.route, String(status));
      this.#byStatus.set(status, counter);
    }
    counter.inc();
    this.#duration.observe(seconds);
  }
}

/** An `onResponse` hook recording into the series of `route`, resolved once per method. */
function recorderFor(route: string, method: string | undefined) {
  const fixed = method === undefined ? undefined : new RouteSeries(method, route);
  const byMethod = new Map<string, RouteSeries>();
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    let s = fixed ?? byMethod.get(request.method);
    if (s === undefined) {
      s = new RouteSeries(request.method, route);
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
