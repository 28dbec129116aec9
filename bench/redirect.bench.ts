// `npm run bench`: short-link redirects through the gateway versus a bare node:http hello-world,
// both in their own process, measured in the same run with the same load (autocannon, loopback).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { createClient } from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const CONNECTIONS = 50;
const WARMUP_S = 3;
const DURATION_S = 10;
const SECRET = "bench-internal-secret-0123456789";
const root = join(import.meta.dirname, "..");

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
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

async function measure(url: string): Promise<AutocannonResult> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S });
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
}

/** Redirect throughput and p99 through the gateway, as a ratio of a bare node:http server. */
export default async function redirectBench(): Promise<{
  name: string;
  rows: Record<string, string | number>[];
  notes?: string[];
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
    const shortener = start(["--import", "tsx", "services/shortener/src/main.ts"], {
      DATABASE_URL: db.url,
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_PUBLIC_ORIGIN: origin,
    });
    children.push(shortener);
    await waitFor(`http://127.0.0.1:${opsPort}/readyz`, shortener);
    const gateway = start(["--import", "tsx", "apps/gateway/src/main.ts"], {
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_PORT: String(gatewayPort),
      TOKO_PUBLIC_ORIGIN: origin,
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_SHORTENER_ADDR: `127.0.0.1:${grpcPort}`,
    });
    children.push(gateway);
    await waitFor(`${origin}/readyz`, gateway);
    const bare = start(
      ["-e", `require("node:http").createServer((q, s) => s.end("hello")).listen(${barePort}, "127.0.0.1")`],
      {},
    );
    children.push(bare);
    await waitFor(`http://127.0.0.1:${barePort}/`, bare);

    // The link is created straight over gRPC: the bench is about the redirect path.
    const client = createClient(ShortenerServiceClient, `127.0.0.1:${grpcPort}`, { internalSecret: SECRET });
    const { link } = await client.createLink(
      { url: "https://example.com/landing", alias: "" },
      { principal: { subject: "bench-user", roles: ["buyer"], scopes: [] } },
    );
    client.close();
    if (!link) throw new Error("no link created");

    const baseline = await measure(`http://127.0.0.1:${barePort}/`);
    const redirect = await measure(`${origin}/s/${link.code}`);
    const ratio = redirect.requests.average / baseline.requests.average;
    const row = (target: string, r: AutocannonResult) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      errors: r.errors + r.timeouts,
    });
    return {
      name: "Short-link redirect through the gateway",
      rows: [
        row("bare node:http hello-world", baseline),
        row(`gateway GET /s/{code} (${redirect.statusCodeStats?.["301"]?.count ?? 0} × 301)`, redirect),
        { target: "ratio gateway / bare", "req/s": ratio.toFixed(2), "p50 ms": "", "p99 ms": "", errors: "" },
      ],
      notes: [
        `${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured each, loopback, each server in its own process.`,
        `Goal: ratio ≥ 0.25 and gateway p99 ≤ 20 ms — ${ratio >= 0.25 && redirect.latency.p99 <= 20 ? "met" : "NOT met"}.`,
        "Redirects are served from the gateway's bounded resolution cache; clicks are buffered and batched to RecordClicks.",
      ],
    };
  } finally {
    for (const child of children.reverse()) await stop(child);
    await db.drop();
  }
}

// Run directly (`node --import tsx bench/redirect.bench.ts`) when the shared runner is absent.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await redirectBench();
  console.log(result.name);
  console.table(result.rows);
  for (const note of result.notes ?? []) console.log(`- ${note}`);
  process.exit(0);
}
