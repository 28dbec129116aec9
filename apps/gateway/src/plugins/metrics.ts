import { metricsRegistry } from "@toko/kit";
import type { FastifyInstance } from "fastify";
import { Counter, Histogram } from "prom-client";

const requests = new Counter({
  name: "gateway_http_requests_total",
  help: "HTTP requests served by the gateway",
  labelNames: ["method", "route", "status"] as const,
  registers: [metricsRegistry],
});

const duration = new Histogram({
  name: "gateway_http_request_duration_seconds",
  help: "HTTP request latency at the gateway",
  labelNames: ["method", "route"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/** Per-route request counts and latency, labelled by route pattern (never by raw URL). */
export function installMetrics(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
