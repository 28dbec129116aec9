// `npm run bench`: short-link redirects through the gateway versus a bare node:http hello-world,
// both in their own process, measured in the same run with the same load (autocannon, loopback).
// Rounds repeat (the 2-core machine is shared) and bare runs bracket every gateway run; the
// gateway's CPU time per request is read from /proc, so it holds up better under outside load.
import type { ChildProcess } from "node:child_process";
import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { createClient } from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";
import {
  type AutocannonResult,
  autocannon,
  cpuSeconds,
  median,
  spread,
  startNode,
  stopChild,
  waitReady,
} from "./support.ts";

const CONNECTIONS = 50;
const WARMUP_S = 3;
const DURATION_S = 10;
const ROUNDS = 3;
const SECRET = "bench-internal-secret-0123456789";

interface Measured extends AutocannonResult {
  /** Server CPU per request in µs, when the platform tells. */
  cpuUs?: number;
}

async function measure(url: string, pid?: number, warmupS = WARMUP_S): Promise<Measured> {
  await autocannon({ url, connections: CONNECTIONS, duration: warmupS });
  const before = cpuSeconds(pid);
  const result: Measured = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  const after = cpuSeconds(pid);
  if (before !== undefined && after !== undefined && result.requests.total > 0) {
    result.cpuUs = ((after - before) * 1e6) / result.requests.total;
  }
  return result;
}

/** Redirect throughput and p99 through the gateway, as a ratio of a bare node:http server. */
export default async function redirectBench(): Promise<{
  name: string;
  rows: Record<string, string | number>[];
  notes: string[];
}> {
  const [db, gatewayPort, grpcPort, opsPort, barePort] = await Promise.all([
    createTestDatabase(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const origin = `http://127.0.0.1:${gatewayPort}`;
  const children: ChildProcess[] = [];
  try {
    const shortener = startNode(["services/shortener/src/main.ts"], {
      DATABASE_URL: db.url,
      EVENT_BUS: "none",
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_PUBLIC_ORIGIN: origin,
    });
    children.push(shortener);
    await waitReady(`http://127.0.0.1:${opsPort}/readyz`, shortener);
    // The real composition root with every route module; only the shortener runs, so the
    // other routed services' routes answer 503 (the gateway itself is ready).
    const gateway = startNode(["apps/gateway/src/main.ts"], {
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_PORT: String(gatewayPort),
      TOKO_PUBLIC_ORIGIN: origin,
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_SHORTENER_ADDR: `127.0.0.1:${grpcPort}`,
    });
    children.push(gateway);
    await waitReady(`${origin}/healthz`, gateway);
    // A plain node:http server (the tsx loader it starts with does nothing once it runs).
    const bare = startNode(
      ["-e", `require("node:http").createServer((q, s) => s.end("hello")).listen(${barePort}, "127.0.0.1")`],
      {},
    );
    children.push(bare);
    await waitReady(`http://127.0.0.1:${barePort}/`, bare);

    // The link is created straight over gRPC: the bench is about the redirect path.
    const client = createClient(ShortenerServiceClient, `127.0.0.1:${grpcPort}`, { internalSecret: SECRET });
    const { link } = await client.createLink(
      { url: "https://example.com/landing", alias: "" },
      { principal: { subject: "bench-user", roles: ["buyer"], scopes: [] } },
    );
    client.close();
    if (!link) throw new Error("no link created");

    const bareUrl = `http://127.0.0.1:${barePort}/`;
    const redirectUrl = `${origin}/s/${link.code}`;
    const row = (target: string, r: Measured, base?: number) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "ratio to bare": base ? (r.requests.average / base).toFixed(3) : "",
      "server CPU µs/req": r.cpuUs === undefined ? "" : r.cpuUs.toFixed(1),
      "non-3xx": r.requests.total - (r.statusCodeStats?.["301"]?.count ?? 0),
      errors: r.errors + r.timeouts,
    });
    const rows: Record<string, string | number>[] = [];
    const ratios: number[] = [];
    const p99s: number[] = [];
    const cpus: number[] = [];
    let before = await measure(bareUrl, bare.pid, 2);
    rows.push(row("bare node:http hello-world", before));
    for (let round = 1; round <= ROUNDS; round++) {
      const redirect = await measure(redirectUrl, gateway.pid);
      const after = await measure(bareUrl, bare.pid, 2);
      const base = (before.requests.average + after.requests.average) / 2;
      ratios.push(redirect.requests.average / base);
      p99s.push(redirect.latency.p99);
      if (redirect.cpuUs !== undefined) cpus.push(redirect.cpuUs);
      rows.push(row(`#${round} gateway GET /s/{code} → 301`, redirect, base), row("bare node:http", after));
      before = after;
    }
    const met = median(ratios) >= 0.25 && median(p99s) <= 20;
    return {
      name: "Short-link redirect through the gateway",
      rows,
      notes: [
        `${CONNECTIONS} connections, loopback, each server in its own process, ${ROUNDS} rounds: gateway ${WARMUP_S} s warm-up + ${DURATION_S} s measured, bare runs (2 s + ${DURATION_S} s) before and after each; each ratio is against the mean of its two bare neighbours.`,
        `Ratio gateway/bare: ${spread(ratios, 3)}. Gateway p99 ms: ${spread(p99s, 0)}.${cpus.length ? ` Gateway CPU µs/request: ${spread(cpus, 1)}.` : ""}`,
        `Goal: median ratio ≥ 0.25 and median p99 ≤ 20 ms — ${met ? "met" : "NOT met"}.`,
        "Redirects are served from the gateway's bounded resolution cache; clicks are buffered and batched to RecordClicks.",
      ],
    };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await db.drop();
  }
}

// Run directly (`node --import tsx bench/redirect.bench.ts`) when the shared runner is absent.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await redirectBench();
  console.log(result.name);
  console.table(result.rows);
  for (const note of result.notes) console.log(`- ${note}`);
  process.exit(0);
}
