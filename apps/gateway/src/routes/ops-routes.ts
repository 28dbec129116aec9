import type * as grpc from "@grpc/grpc-js";
import { metricsRegistry } from "@toko/kit";
import type { FastifyInstance } from "fastify";
import type { Upstream } from "../upstreams.ts";

const opsConfig = { rateLimit: false as const };

/** `/healthz` (the process answers), `/readyz` (every routed service is SERVING), `/metrics`. */
export function registerOpsRoutes(app: FastifyInstance, upstreams: readonly Upstream<grpc.Client>[]): void {
  app.get("/healthz", { config: opsConfig, schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { config: opsConfig, schema: { hide: true } }, async (_request, reply) => {
    const results = await Promise.all(upstreams.map(async (u) => [u.name, await u.healthy()] as const));
    const services = Object.fromEntries(results.map(([name, ok]) => [name, ok ? "serving" : "unavailable"]));
    const ready = results.every(([, ok]) => ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", services });
  });

  app.get("/metrics", { config: opsConfig, schema: { hide: true } }, async (_request, reply) => {
    const body = await metricsRegistry.metrics();
    return reply.type(metricsRegistry.contentType).send(body);
  });
}
