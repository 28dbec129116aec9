import type * as grpc from "@grpc/grpc-js";
import { metricsRegistry } from "@toko/kit";
import type { FastifyInstance } from "fastify";
import { Gauge } from "prom-client";
import type { TokenVerifier } from "../auth/jwt-verifier.ts";
import type { Upstream } from "../upstreams.ts";

const opsConfig = { rateLimit: false as const };

// Well inside a readiness probe's usual 1 s timeout, even when an upstream is blackholed.
const PROBE_DEADLINE_MS = 300;

// Per process, like any metric: gateways built in one process (tests) share the series.
const upstreamUp = new Gauge({
  name: "gateway_upstream_up",
  help: "1 when the routed service answered its gRPC health check with SERVING at the last probe",
  labelNames: ["service"],
  registers: [metricsRegistry],
});

/** Probes every upstream once (in parallel), records the gauge and answers name → state. */
async function probeUpstreams(upstreams: readonly Upstream<grpc.Client>[]): Promise<Record<string, string>> {
  const results = await Promise.all(
    upstreams.map(async (u) => [u.name, await u.healthy(PROBE_DEADLINE_MS)] as const),
  );
  for (const [name, ok] of results) upstreamUp.set({ service: name }, ok ? 1 : 0);
  return Object.fromEntries(results.map(([name, ok]) => [name, ok ? "serving" : "unavailable"]));
}

/**
 * `/healthz` (the process answers), `/readyz` (the gateway can take traffic), `/metrics`.
 *
 * Readiness is the gateway's own state: it answers 200 while it serves, and Fastify answers
 * 503 once it is closing. Routed services and the issuer's key set are reported in the body
 * (and `gateway_upstream_up`), never gating: every replica sees the same upstreams, so one
 * service's outage would otherwise empty the load balancer, where it should only make that
 * service's routes answer 503. The key set is not gated either: by default it is fetched
 * through the public origin, i.e. through the load balancer this probe feeds.
 */
export function registerOpsRoutes(
  app: FastifyInstance,
  upstreams: readonly Upstream<grpc.Client>[],
  verifier: TokenVerifier,
): void {
  app.get("/healthz", { config: opsConfig, schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { config: opsConfig, schema: { hide: true } }, async () => {
    const services = await probeUpstreams(upstreams);
    const jwks = verifier.keysLoaded === undefined ? "n/a" : verifier.keysLoaded() ? "loaded" : "not_loaded";
    return { status: "ready", jwks, services };
  });

  app.get("/metrics", { config: opsConfig, schema: { hide: true } }, async (_request, reply) => {
    await probeUpstreams(upstreams);
    const body = await metricsRegistry.metrics();
    return reply.type(metricsRegistry.contentType).send(body);
  });
}
