// `npm run bench -- shipping`: rate quotes (GET /api/v1/shipping/rates) through the gateway to
// the shipping service, beside a bare node:http server answering a rates-sized JSON body, same
// run, same load (autocannon, 50 connections, loopback, every server in its own process). The
// requests cycle through 1,000 distinct questions (demo-marketplace city pairs × parcel sizes),
// so the gateway's rates cache (30 s) and the service's quote cache (60 s) hold them after the
// warm-up, as on a busy checkout page. Bare
// runs bracket every gateway run; each ratio is against the mean of its two neighbours.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createTestDatabase, freePort } from "@toko/testing";
import {
  type AutocannonResult,
  autocannon,
  cpuSeconds,
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
const ROUNDS = 3;
/** Unmeasured load on the fresh gateway before the first round: JIT and the caches settle. */
const PREWARM_S = 5;
const SECRET = "bench-internal-secret-0123456789";
const self = join(import.meta.dirname, "shipping.bench.ts");

/** Cities the demo marketplace's shops and buyers use. */
const CITIES = [
  "Jakarta Selatan",
  "Jakarta Barat",
  "Bandung",
  "Bekasi",
  "Bogor",
  "Depok",
  "Tangerang",
  "Surabaya",
  "Malang",
  "Semarang",
  "Solo",
  "Yogyakarta",
  "Medan",
  "Palembang",
  "Padang",
  "Pekanbaru",
  "Denpasar",
  "Makassar",
  "Manado",
  "Balikpapan",
  "Pontianak",
  "Banjarmasin",
  "Takengon",
  "Mataram",
  "Jayapura",
];
const PARCELS = [
  [200, 0, 0, 0],
  [800, 20, 15, 10],
  [1300, 0, 0, 0],
  [2500, 40, 30, 20],
  [5000, 0, 0, 0],
  [12_000, 60, 40, 40],
  [1000, 50, 40, 30],
  [300, 10, 10, 10],
];

/** 1,000 distinct rate questions: each origin to eight destinations (its own city among them) × five parcels. */
function ratePaths(): string[] {
  const paths: string[] = [];
  CITIES.forEach((origin, i) => {
    for (let d = 0; d < 8; d++) {
      const destination = CITIES[(i + d * 3) % CITIES.length] as string;
      for (let p = 0; p < 5; p++) {
        const [w, l, wd, h] = PARCELS[(i + d + p) % PARCELS.length] as number[];
        const q = new URLSearchParams({
          origin_city: origin,
          destination_city: destination,
          weight_grams: String(w),
          length_cm: String(l),
          width_cm: String(wd),
          height_cm: String(h),
        });
        paths.push(`/api/v1/shipping/rates?${q}`);
      }
    }
  });
  return paths;
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

/** Rate-quote throughput and p99 through the gateway, as a ratio of a bare node:http server. */
export default async function shippingBench() {
  const db = await createTestDatabase();
  const bus = await createTestDatabase();
  const children: ChildProcess[] = [];
  try {
    const [grpcPort, opsPort, gatewayPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const shipping = startNode(["services/shipping/src/main.ts"], {
      DATABASE_URL: db.url,
      EVENT_BUS: "postgres",
      BUS_DATABASE_URL: bus.url,
      TOKO_ENV: "development",
      SHIPPING_SIMULATOR: "false",
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
    });
    children.push(shipping);
    await waitReady(`http://127.0.0.1:${opsPort}/readyz`, shipping);
    const gateway = startNode([self, "gateway"], {
      PORT: String(gatewayPort),
      SHIPPING_ADDR: `127.0.0.1:${grpcPort}`,
    });
    children.push(gateway);
    await waitReady(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
    const paths = ratePaths();
    const sampleRes = await fetch(`http://127.0.0.1:${gatewayPort}${paths[1]}`);
    if (!sampleRes.ok) throw new Error(`rates answered ${sampleRes.status}: ${await sampleRes.text()}`);
    const sample = await sampleRes.text();
    const bare = startNode([self, "bare"], { PORT: String(barePort), BODY: sample });
    children.push(bare);
    await waitReady(`http://127.0.0.1:${barePort}/`, bare);

    const bareUrl = `http://127.0.0.1:${barePort}`;
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const bareCycle = cycle(paths);
    const gatewayCycle = cycle(paths);
    /** A measured run and the CPU its server processes spent per request (warm-up included). */
    const timed = async (
      url: string,
      requests: ReturnType<typeof cycle>,
      warmupS: number,
      pids: (number | undefined)[],
    ) => {
      const cpu = (): number => pids.reduce<number>((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
      const cpu0 = cpu();
      const result = await measure(url, requests, warmupS);
      const served = result.requests.total * ((warmupS + DURATION_S) / DURATION_S);
      return { result, cpuUs: ((cpu() - cpu0) * 1e6) / served };
    };
    type Timed = Awaited<ReturnType<typeof timed>>;
    const bareRun = () => timed(bareUrl, bareCycle, 2, [bare.pid]);
    const runs: { before: Timed; gateway: Timed; after: Timed }[] = [];
    await autocannon({
      url: gatewayUrl,
      connections: CONNECTIONS,
      duration: PREWARM_S,
      requests: gatewayCycle,
    });
    let before = await bareRun();
    for (let round = 0; round < ROUNDS; round++) {
      const measured = await timed(gatewayUrl, gatewayCycle, WARMUP_S, [gateway.pid, shipping.pid]);
      const after = await bareRun();
      runs.push({ before, gateway: measured, after });
      before = after;
    }
    const baseOf = (r: (typeof runs)[number]) =>
      (r.before.result.requests.average + r.after.result.requests.average) / 2;
    const ratios = runs.map((r) => r.gateway.result.requests.average / baseOf(r));
    const p99s = runs.map((r) => r.gateway.result.latency.p99);
    const met = median(ratios) >= 0.1 && median(p99s) <= 30;
    const row = (target: string, { result: r, cpuUs }: Timed, base?: number) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "ratio to bare": base ? (r.requests.average / base).toFixed(3) : "",
      "server CPU µs/req": Math.round(cpuUs),
      "non-2xx": r.non2xx,
      errors: r.errors + r.timeouts,
    });
    return {
      name: "Rate quotes GET /api/v1/shipping/rates through the gateway",
      rows: runs.flatMap((r, i) => [
        ...(i === 0 ? [row(`bare node:http (${sample.length}-byte rates JSON)`, r.before)] : []),
        row(`#${i + 1} gateway → shipping`, r.gateway, baseOf(r)),
        row("bare node:http", r.after),
      ]),
      notes: [
        `${CONNECTIONS} connections, loopback; the gateway first takes ${PREWARM_S} s of unmeasured load, then ${ROUNDS} rounds of ${WARMUP_S} s warm-up + ${DURATION_S} s measured; each ratio is against the mean of the bare runs right before and after it.`,
        `${paths.length} distinct questions (${CITIES.length} demo cities, 8 destinations each, 5 parcel sizes) in a cycle: after the warm-up answers come from the gateway's rates cache (fresh 30 s, then served stale while one background call refreshes it; misses go to the service, whose quote cache holds them 60 s).`,
        `Ratio gateway/bare: ${spread(ratios, 3)}. Gateway p99 ms: ${spread(p99s, 0)}.`,
        `Goal (median ratio ≥ 0.1 and median p99 ≤ 30 ms): ${met ? "met" : "NOT met"}.`,
        "Server CPU µs/req: the gateway and shipping processes together (from /proc), or the bare server; steadier than req/s on a shared machine, though contention inflates it too.",
      ],
    };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await Promise.all([db.drop(), bus.drop()]);
  }
}

async function serveGateway(): Promise<void> {
  const { shippingModule } = await import("../apps/gateway/src/routes/shipping/index.ts");
  await serveBenchGateway(shippingModule, "shipping", process.env.SHIPPING_ADDR ?? "", SECRET);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
  else if (process.argv[2] === "bare") serveBareJson();
}
