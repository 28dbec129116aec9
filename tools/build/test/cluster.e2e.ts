// Cluster mode on one machine, without Docker: two replicas of every service and of the gateway,
// from the production build (npm ci --omit=dev, plain node) with the production configuration,
// against the machine's PostgreSQL, NATS JetStream and Redis; a round-robin TCP balancer per
// service address and an HTTP load balancer in front of the gateways. The buyer's journey passes
// through the load balancer, then again with one replica of every deployable killed (SIGKILL).
// Run by .ci/run (npm run test:cluster); skipped when those servers are unreachable, unless CI=true.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { freePort, makeTempDir, removeTempDir, startTestPostgres } from "@toko/testing";
import pg from "pg";
import { Cluster, type Replica } from "../src/cluster.ts";
import { buyerJourney } from "../src/journey.ts";
import { stageProduction } from "../src/stage.ts";

const POSTGRES = process.env.TOKO_CLUSTER_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/**
 * Connections 22 processes hold (measured: 4–11 each, with DATABASE_POOL_SIZE=4 where a service
 * reads it; product keeps a pool of 20, notification's consumers use more).
 */
const CONNECTIONS_NEEDED = 260;
const NATS = process.env.TOKO_CLUSTER_NATS_URL ?? "nats://127.0.0.1:4222";
const REDIS = process.env.TOKO_CLUSTER_REDIS_URL ?? "redis://127.0.0.1:6379/11";

function reachable(url: string, fallbackPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || fallbackPort), hostname);
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const missing: string[] = [];
for (const [name, url, port] of [
  ["PostgreSQL", POSTGRES, 5432],
  ["NATS", NATS, 4222],
  ["Redis", REDIS, 6379],
] as const) {
  if (!(await reachable(url, port))) missing.push(`${name} at ${url}`);
}
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`CI=true but the cluster test cannot reach ${missing.join(", ")}`);
}
const skip = missing.length > 0 ? `cluster mode needs ${missing.join(", ")}; skipped` : false;
if (skip) process.stderr.write(`${skip}\n`);

let dir: string;
let cluster: Cluster | undefined;
let ownPostgres: { url: string; stop(): Promise<void> } | undefined;

/** Free connection slots on the server (max_connections less those in use and reserved). */
async function freeConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ free: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
         - (SELECT count(*) FROM pg_stat_activity)::int AS free`,
    );
    return rows[0]?.free ?? 0;
  } finally {
    await client.end();
  }
}
const log = (line: string) => console.log(`  ${line}`);

before(async () => {
  if (skip) return;
  dir = makeTempDir("cluster");
  const started = Date.now();
  stageProduction(dir, { compile: true, npmArgs: ["--prefer-offline"] });
  log(`production tree ready in ${Date.now() - started} ms`);
  // Two replicas of eleven services outgrow a default server's 100 connections; a server with
  // too few free slots is replaced by a PostgreSQL of this run's own (max_connections 300).
  let adminUrl = POSTGRES;
  const free = await freeConnections(POSTGRES);
  if (free < CONNECTIONS_NEEDED) {
    ownPostgres = await startTestPostgres();
    adminUrl = ownPostgres.url;
    log(
      `${POSTGRES.replace(/\/\/[^@]*@/, "//")} has ${free} free connections (< ${CONNECTIONS_NEEDED}); using a PostgreSQL of its own`,
    );
  }
  cluster = new Cluster({
    tree: dir,
    replicas: 2,
    adminUrl,
    natsUrl: NATS,
    redisUrl: REDIS,
    namespace: `toko_cluster_${process.pid}`,
    freePort,
  });
  const t = Date.now();
  await cluster.start();
  log(`${cluster.replicas.length} processes ready behind ${cluster.origin} in ${Date.now() - t} ms`);
});

after(async () => {
  await cluster?.stop();
  await ownPostgres?.stop();
  if (dir) removeTempDir(dir);
});

test("the buyer journey through the load balancer, two replicas of everything", { skip }, async () => {
  assert.ok(cluster);
  const t = Date.now();
  const result = await buyerJourney({
    origin: cluster.origin,
    paymentWebhookSecret: cluster.secrets.paymentWebhookSecret,
    log,
  });
  log(
    `journey: ${result.steps} requests, order ${result.orderId} shipped (${result.awb}) in ${Date.now() - t} ms`,
  );
  // Both gateways answered.
  const served = [...(cluster.ingress?.served().values() ?? [])];
  assert.equal(served.length, 2, "both gateways served requests");
  assert.ok(
    served.every((n) => n > 5),
    `requests per gateway: ${served.join(", ")}`,
  );
});

test("the journey again with one replica of every service and gateway killed", { skip }, async () => {
  const c = cluster;
  assert.ok(c);
  const killed = c.specs.map((s) => c.replicasOf(s.name)[0]);
  await Promise.all(killed.map((r) => r?.process?.kill()));
  assert.ok(killed.every((r) => r?.process?.exited()));
  log(`killed ${killed.map((r) => r?.process?.name).join(", ")}`);
  const t = Date.now();
  const result = await buyerJourney({
    origin: c.origin,
    paymentWebhookSecret: c.secrets.paymentWebhookSecret,
    log,
  });
  log(`journey with half the replicas: ${result.steps} requests in ${Date.now() - t} ms`);
  // The survivors are still up and ready.
  for (const s of c.specs) {
    const survivor: Replica | undefined = c.replicasOf(s.name)[1];
    assert.equal(survivor?.process?.exited(), false, `${s.name}-1 is running`);
  }
});

test("the killed replicas come back, the others go down, and the journey passes on them", {
  skip,
}, async () => {
  const c = cluster;
  assert.ok(c);
  const t = Date.now();
  // Restarted as a cluster would reschedule them, in dependency order (the specs' order).
  for (const s of c.specs) {
    const first = c.replicasOf(s.name)[0];
    assert.ok(first);
    await c.startReplica(first);
  }
  log(`restarted the killed replicas in ${Date.now() - t} ms`);
  const others = c.specs.map((s): Replica | undefined => c.replicasOf(s.name)[1]);
  await Promise.all(others.map((r) => r?.process?.kill()));
  const result = await buyerJourney({
    origin: c.origin,
    paymentWebhookSecret: c.secrets.paymentWebhookSecret,
    log,
  });
  log(`journey on the restarted replicas: ${result.steps} requests`);
  for (const s of c.specs)
    assert.equal(c.replicasOf(s.name)[0]?.process?.exited(), false, `${s.name}-0 is running`);
});
