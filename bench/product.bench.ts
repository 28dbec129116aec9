// `npm run bench`: GET /api/v1/products/{id} through the gateway on the 100,000-product demo
// catalog, beside a bare node:http server answering a product-sized JSON body, same run, same
// load (autocannon, 50 connections, loopback, every server in its own process).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createPool } from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: { setupRequest: (req: { path: string }) => { path: string } }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const CONNECTIONS = 50;
const WARMUP_S = 3;
const DURATION_S = 10;
const PRODUCTS = 100_000;
/** Distinct products requested, drawn uniformly: a realistic spread, not one hot key. */
const SAMPLE = 20_000;
const SECRET = "bench-internal-secret-0123456789";
const root = join(import.meta.dirname, "..");
const self = join(import.meta.dirname, "product.bench.ts");

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

async function measure(url: string, paths: string[]): Promise<AutocannonResult> {
  let i = 0;
  const requests = [
    { setupRequest: (req: { path: string }) => ({ ...req, path: paths[i++ % paths.length] ?? "/" }) },
  ];
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, requests });
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests });
}

/** Product page throughput and p99 through the gateway, as a ratio of a bare node:http server. */
export default async function productBench() {
  const db = await createTestDatabase();
  const children: ChildProcess[] = [];
  try {
    const { migrateProduct } = await import("../services/product/src/start.ts");
    const { loadDemo } = await import("../services/product/src/demo/bulk-load.ts");
    const pool = createPool({ url: db.url, max: 2 });
    await migrateProduct(pool);
    const seeded = Date.now();
    const counts = await loadDemo(pool, { seed: 20_240_817, shopCount: 2_500, productCount: PRODUCTS });
    const seedMs = Date.now() - seeded;
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM products ORDER BY random() LIMIT ${SAMPLE}`,
    );
    const size = (
      await pool.query<{ s: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")
    ).rows[0]?.s;
    await pool.end();
    const paths = rows.map((r) => `/api/v1/products/${r.id}`);

    const [grpcPort, opsPort, gatewayPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const product = start(["services/product/src/main.ts"], {
      DATABASE_URL: db.url,
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
    });
    children.push(product);
    await waitFor(`http://127.0.0.1:${opsPort}/readyz`, product);
    const gateway = start([self, "gateway"], {
      PORT: String(gatewayPort),
      PRODUCT_ADDR: `127.0.0.1:${grpcPort}`,
    });
    children.push(gateway);
    await waitFor(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
    const sample = await (await fetch(`http://127.0.0.1:${gatewayPort}${paths[0]}`)).text();
    const bare = start([self, "bare"], { PORT: String(barePort), BODY: sample });
    children.push(bare);
    await waitFor(`http://127.0.0.1:${barePort}/`, bare);

    const baseline = await measure(`http://127.0.0.1:${barePort}`, paths);
    const viaGateway = await measure(`http://127.0.0.1:${gatewayPort}`, paths);
    const ratio = viaGateway.requests.average / baseline.requests.average;
    const row = (target: string, r: AutocannonResult) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "non-2xx": r.non2xx,
      errors: r.errors + r.timeouts,
    });
    return {
      name: "Product page GET /api/v1/products/{id} through the gateway (100,000-product catalog)",
      rows: [
        row(`bare node:http (${sample.length}-byte product JSON)`, baseline),
        row("gateway → product (gRPC) → PostgreSQL", viaGateway),
        {
          target: "ratio gateway / bare",
          "req/s": ratio.toFixed(2),
          "p50 ms": "",
          "p99 ms": "",
          "non-2xx": "",
          errors: "",
        },
      ],
      notes: [
        `${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured, ${SAMPLE} distinct product ids round-robin, loopback.`,
        `Demo data: ${counts.shops} shops, ${counts.products} products, ${counts.variants} variants, database ${size}, loaded in ${(seedMs / 1000).toFixed(1)} s.`,
        `Goal: ratio ≥ 0.2 and gateway p99 ≤ 25 ms — ${ratio >= 0.2 && viaGateway.latency.p99 <= 25 ? "met" : "NOT met"}.`,
        "Reads: one SQL statement per product (variants and running schedules as JSON); gateway keeps public pages 1 s.",
      ],
    };
  } finally {
    for (const child of children.reverse()) await stop(child);
    await db.drop();
  }
}

async function serveGateway(): Promise<void> {
  const { buildGateway } = await import("../apps/gateway/src/app.ts");
  const { loadGatewayConfig } = await import("../apps/gateway/src/config.ts");
  const { catalogModule } = await import("../apps/gateway/src/routes/catalog/index.ts");
  const config = loadGatewayConfig({
    LOG_LEVEL: "warn",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: process.env.PORT ?? "0",
    TOKO_INTERNAL_SECRET: SECRET,
    TOKO_JWT_ISSUER: "http://127.0.0.1:9/oauth2",
    TOKO_JWKS_URL: "http://127.0.0.1:9/oauth2/jwks",
    // The bench is one client at full speed; per-client rate limiting is not what is measured.
    TOKO_RATE_LIMIT: "1000000000",
  });
  config.services.product = process.env.PRODUCT_ADDR ?? "";
  const gateway = await buildGateway(config, { modules: [catalogModule] });
  await gateway.listen();
  process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}

function serveBare(): void {
  const body = process.env.BODY ?? "{}";
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }).listen(Number(process.env.PORT), "127.0.0.1");
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
  else if (process.argv[2] === "bare") serveBare();
  else {
    const result = await productBench();
    console.log(result.name);
    console.table(result.rows);
    for (const note of result.notes) console.log(`- ${note}`);
    process.exit(0);
  }
}
