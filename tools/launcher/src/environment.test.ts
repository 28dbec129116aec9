import assert from "node:assert/strict";
import { test } from "node:test";
import { type RunContext, serviceEnv } from "./environment.ts";
import type { ServiceSpec } from "./manifest.ts";

const spec = (name: string, kind: ServiceSpec["kind"] = "service"): ServiceSpec => ({
  name,
  dir: `/x/${name}`,
  kind,
  dependsOn: [],
  database: kind === "service" ? name : undefined,
});
const ctx = (baseEnv: Record<string, string | undefined>): RunContext => ({
  adminUrl: "postgres://toko@127.0.0.1:5432/postgres",
  internalSecret: "s".repeat(32),
  keyEncryptionKey: "k".repeat(32),
  notificationKeys: { publicKey: "p", privateKey: "q" },
  publicOrigin: "http://localhost:8080",
  baseEnv,
});

test("every process is told which event bus to use, the Postgres bus unless the operator chose", () => {
  const all = [spec("user"), spec("product"), spec("gateway", "gateway")];
  for (const s of all) {
    const env = serviceEnv(s, all, ctx({}));
    assert.equal(env.EVENT_BUS, "postgres", s.name);
    assert.equal(env.BUS_DATABASE_URL, "postgres://toko@127.0.0.1:5432/bus", s.name);
  }
  assert.equal(serviceEnv(all[0] as ServiceSpec, all, ctx({ EVENT_BUS: "nats" })).EVENT_BUS, "nats");
});

test("every process gets small pools for a shared laptop PostgreSQL, unless the operator sized them", () => {
  const all = [spec("user"), spec("gateway", "gateway")];
  const env = serviceEnv(all[0] as ServiceSpec, all, ctx({}));
  assert.equal(env.DATABASE_POOL_SIZE, "5");
  assert.equal(env.BUS_POOL_SIZE, "2");
  assert.equal(env.DATABASE_IDLE_TIMEOUT_MS, "5000");
  const own = serviceEnv(all[0] as ServiceSpec, all, ctx({ DATABASE_POOL_SIZE: "30", BUS_POOL_SIZE: "8" }));
  assert.equal(own.DATABASE_POOL_SIZE, "30");
  assert.equal(own.BUS_POOL_SIZE, "8");
});
