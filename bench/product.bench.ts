// `npm run bench`: GET /api/v1/products/{id} through the gateway on the 100,000-product demo
// catalog, beside a bare node:http server answering a product-sized JSON body, same run, same
// load (autocannon, 50 connections, loopback, every server in its own process). Two id mixes:
// uniform over the whole catalog (nearly every request a cache miss) and Zipf-skewed (s = 1,
// ranks shuffled over the catalog: a few products get most views, as in real shops). The goal
// is judged on the skewed mix; both are reported. Each round measures bare, then each mix on a
// freshly started (cold) gateway; rounds repeat because the 2-core machine is shared.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createPool } from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";
import {
  type AutocannonResult,
  autocannon,
  median,
  serveBareJson,
  serveBenchGateway,
  spread,
  startNode,
  stopChild,
  waitReady,
} from "./support.ts";

const CONNECTIONS = 50;
const WARMUP_S = 3;
const DURATION_S = 10;
const PRODUCTS = 100_000;
const ROUNDS = 3;
/** Requests per mix, drawn up front so the load generator spends nothing per request on it. */
const DRAWS = 400_000;
const ZIPF_S = 1;
/** Unmeasured Zipf load between the cold and the warm measurement. */
const STEADY_S = 20;

type Mix = "uniform" | "zipfCold" | "zipfWarm";
interface Round {
  /** Before the uniform run, between the runs, after the Zipf runs. */
  bare: [AutocannonResult, AutocannonResult, AutocannonResult];
  uniform: AutocannonResult;
  zipfCold: AutocannonResult;
  zipfWarm: AutocannonResult;
}
const mean = (a: AutocannonResult, b: AutocannonResult) => (a.requests.average + b.requests.average) / 2;
/** The bare baseline of a gateway run: the mean of the bare runs on either side of it. */
const bareOf = (r: Round, mix: Mix) =>
  mix === "uniform" ? mean(r.bare[0], r.bare[1]) : mean(r.bare[1], r.bare[2]);
const SECRET = "bench-internal-secret-0123456789";
const self = join(import.meta.dirname, "product.bench.ts");

/** Deterministic PRNG (mulberry32), so every run requests the same sequence. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` ids drawn uniformly, and `count` drawn Zipf(s) over a shuffled ranking of all ids. */
function idMixes(ids: string[], count: number): { uniform: string[]; zipf: string[] } {
  const rnd = random(20_240_817);
  const ranked = ids.slice();
  for (let i = ranked.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [ranked[i], ranked[j]] = [ranked[j] as string, ranked[i] as string];
  }
  const cdf = new Float64Array(ranked.length);
  let sum = 0;
  for (let i = 0; i < ranked.length; i++) {
    sum += 1 / (i + 1) ** ZIPF_S;
    cdf[i] = sum;
  }
  const zipfOne = () => {
    const u = rnd() * sum;
    let lo = 0;
    let hi = ranked.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return ranked[lo] as string;
  };
  const uniform = Array.from({ length: count }, () => ids[Math.floor(rnd() * ids.length)] as string);
  return { uniform, zipf: Array.from({ length: count }, zipfOne) };
}

/** Requests along `paths`, resuming where the last use of the same cycle stopped. */
function cycle(paths: string[]) {
  let i = 0;
  return [{ setupRequest: (req: { path: string }) => ({ ...req, path: paths[i++ % paths.length] ?? "/" }) }];
}

async function measure(
  url: string,
  requests: ReturnType<typeof cycle>,
  warmupS = WARMUP_S,
): Promise<AutocannonResult> {
  if (warmupS > 0) await autocannon({ url, connections: CONNECTIONS, duration: warmupS, requests });
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
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM products ORDER BY id");
    const size = (
      await pool.query<{ s: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")
    ).rows[0]?.s;
    await pool.end();
    const mixes = idMixes(
      rows.map((r) => r.id),
      DRAWS,
    );
    const paths = { uniform: mixes.uniform.map(productPath), zipf: mixes.zipf.map(productPath) };
    const distinct = (list: string[], n: number) => new Set(list.slice(0, n)).size;

    const [grpcPort, opsPort, gatewayPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const product = startNode(["services/product/src/main.ts"], {
      DATABASE_URL: db.url,
      EVENT_BUS: "none",
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
    });
    children.push(product);
    await waitReady(`http://127.0.0.1:${opsPort}/readyz`, product);
    /** A fresh gateway process: every mix starts from an empty page cache. */
    const startGateway = async () => {
      const gateway = startNode([self, "gateway"], {
        PORT: String(gatewayPort),
        PRODUCT_ADDR: `127.0.0.1:${grpcPort}`,
      });
      await waitReady(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
      return gateway;
    };
    let gateway = await startGateway();
    const sample = await (await fetch(`http://127.0.0.1:${gatewayPort}${paths.uniform[0]}`)).text();
    await stopChild(gateway);
    const bare = startNode([self, "bare"], { PORT: String(barePort), BODY: sample });
    children.push(bare);
    await waitReady(`http://127.0.0.1:${barePort}/`, bare);

    // Bare runs bracket every gateway run and each ratio uses the mean of its two neighbours, so
    // load from other work on the machine drifting during a round skews the ratio less.
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const bareCycle = cycle(paths.uniform);
    const bareRun = () => measure(bareUrl, bareCycle, 2);
    const rounds: Round[] = [];
    let before = await bareRun();
    for (let round = 0; round < ROUNDS; round++) {
      gateway = await startGateway();
      const uniform = await measure(gatewayUrl, cycle(paths.uniform)).finally(() => stopChild(gateway));
      const middle = await bareRun();
      gateway = await startGateway();
      const zipfCycle = cycle(paths.zipf);
      let zipfCold: AutocannonResult;
      let zipfWarm: AutocannonResult;
      try {
        zipfCold = await measure(gatewayUrl, zipfCycle);
        // Keep the same stream going, unmeasured, then measure the warmed cache.
        await autocannon({
          url: gatewayUrl,
          connections: CONNECTIONS,
          duration: STEADY_S,
          requests: zipfCycle,
        });
        zipfWarm = await measure(gatewayUrl, zipfCycle, 0);
      } finally {
        await stopChild(gateway);
      }
      const after = await bareRun();
      rounds.push({ bare: [before, middle, after], uniform, zipfCold, zipfWarm });
      before = after;
    }
    const row = (target: string, r: AutocannonResult, base?: number) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "ratio to bare": base ? (r.requests.average / base).toFixed(3) : "",
      "non-2xx": r.non2xx,
      errors: r.errors + r.timeouts,
    });
    const ratios = (mix: Mix) => rounds.map((r) => r[mix].requests.average / bareOf(r, mix));
    const p99s = (mix: Mix) => rounds.map((r) => r[mix].latency.p99);
    const met = (mix: Mix) => median(ratios(mix)) >= 0.2 && median(p99s(mix)) <= 25;
    const measured = rounds[0] ? rounds[0].zipfCold.requests.total : 0;
    return {
      name: "Product page GET /api/v1/products/{id} through the gateway (100,000-product catalog)",
      rows: rounds.flatMap((r, i) => [
        ...(i === 0 ? [row(`bare node:http (${sample.length}-byte product JSON)`, r.bare[0])] : []),
        row(`#${i + 1} gateway, uniform ids (cold)`, r.uniform, bareOf(r, "uniform")),
        row("bare node:http", r.bare[1]),
        row(`#${i + 1} gateway, Zipf ids (cold)`, r.zipfCold, bareOf(r, "zipfCold")),
        row(`#${i + 1} gateway, Zipf ids (warm, +${STEADY_S} s)`, r.zipfWarm, bareOf(r, "zipfWarm")),
        row("bare node:http", r.bare[2]),
      ]),
      notes: [
        `${CONNECTIONS} connections, loopback, ${ROUNDS} rounds. Gateway runs start from a new process (empty cache): ${WARMUP_S} s warm-up + ${DURATION_S} s measured ("cold"); the Zipf stream then runs ${STEADY_S} s more and is measured again for ${DURATION_S} s ("warm"). Each ratio is against the mean of the bare runs right before and after it.`,
        `Ratio gateway/bare — uniform: ${spread(ratios("uniform"), 3)}; Zipf cold: ${spread(ratios("zipfCold"), 3)}; Zipf warm: ${spread(ratios("zipfWarm"), 3)}.`,
        `Gateway p99 ms — uniform: ${spread(p99s("uniform"), 0)}; Zipf cold: ${spread(p99s("zipfCold"), 0)}; Zipf warm: ${spread(p99s("zipfWarm"), 0)}.`,
        `Goal (median ratio ≥ 0.2 and p99 ≤ 25 ms), judged on the warm Zipf mix: ${met("zipfWarm") ? "met" : "NOT met"}; Zipf cold: ${met("zipfCold") ? "met" : "not met"}; uniform: ${met("uniform") ? "met" : "not met"}.`,
        `First ${measured} Zipf requests hit ${distinct(mixes.zipf, measured)} distinct products; as many uniform ones hit ${distinct(mixes.uniform, measured)}.`,
        `Demo data: ${counts.shops} shops, ${counts.products} products, ${counts.variants} variants, database ${size}, loaded in ${(seedMs / 1000).toFixed(1)} s.`,
        "Gateway: serialized public pages in a bounded LRU (30 s TTL, never past the next scheduled price change), coalesced misses batched into BatchGetProducts (one prepared query per batch; while a batch runs, misses gather until it finishes, at most 4 ms), ETag/304.",
      ],
    };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await db.drop();
  }
}

const productPath = (id: string) => `/api/v1/products/${id}`;

async function serveGateway(): Promise<void> {
  const { catalogModule } = await import("../apps/gateway/src/routes/catalog/index.ts");
  await serveBenchGateway(catalogModule, "product", process.env.PRODUCT_ADDR ?? "", SECRET);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
  else if (process.argv[2] === "bare") serveBareJson();
  else {
    const result = await productBench();
    console.log(result.name);
    console.table(result.rows);
    for (const note of result.notes) console.log(`- ${note}`);
    process.exit(0);
  }
}
