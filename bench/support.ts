// What several benches share: the load generator, order statistics, a process's CPU time, child
// processes that serve until stopped, and the bare node:http baseline server.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { RouteModule } from "../apps/gateway/src/routes/route-module.ts";

/** The value at quantile `q` (0–1) of an ascending array; NaN when it is empty. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The median (the upper one of an even count). */
export const median = (xs: readonly number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** "median M (min–max)" with `digits` decimals. */
export const spread = (xs: readonly number[], digits: number): string =>
  `median ${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

/** User + system CPU seconds a process has used so far (Linux /proc); undefined when unknown. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

const root = join(import.meta.dirname, "..");

/**
 * Node flags for every child: with `BENCH_CPU_PROF=<dir>`, each child writes a CPU profile
 * there when it exits (NODE_OPTIONS does not pass `--cpu-prof` on to processes started this way).
 */
export const profileFlags = (): string[] => {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
};

/** `node --import tsx <args>` from the repository root, quiet JSON logs, stderr shown. */
export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...profileFlags(), "--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Resolves once `url` answers 2xx; fails if the process exits first or after `tries` × 100 ms. */
export async function waitReady(url: string, child: ChildProcess, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

/** SIGTERM, then waits for the exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/** What the benches read of one autocannon run. */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}

/** A request template; `setupRequest` may rewrite it before each send. */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  // Method syntax on purpose: benches pass narrower rewriters (e.g. path-only ones).
  setupRequest?(request: AutocannonRequest): AutocannonRequest;
}

/** autocannon's programmatic API, typed for what the benches use (the package ships no types). */
export const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

/**
 * The baseline every HTTP bench compares with: plain node:http answering `BODY` (JSON) on
 * `PORT` until SIGTERM.
 */
export function serveBareJson(): void {
  const body = process.env.BODY ?? "{}";
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }).listen(Number(process.env.PORT), "127.0.0.1");
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}

/**
 * Runs the real gateway with one route module, its service at `address`, until SIGTERM: the
 * process a bench measures beside its bare baseline. Tokens are never verified against a live
 * issuer here, and rate limiting is off (one client at full speed is what is measured).
 */
export async function serveBenchGateway(
  module: RouteModule,
  service: string,
  address: string,
  internalSecret: string,
): Promise<void> {
  const { buildGateway } = await import("../apps/gateway/src/app.ts");
  const { loadGatewayConfig } = await import("../apps/gateway/src/config.ts");
  const config = loadGatewayConfig({
    LOG_LEVEL: "warn",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: process.env.PORT ?? "0",
    TOKO_INTERNAL_SECRET: internalSecret,
    TOKO_JWT_ISSUER: "http://127.0.0.1:9/oauth2",
    TOKO_JWKS_URL: "http://127.0.0.1:9/oauth2/jwks",
    TOKO_RATE_LIMIT: "1000000000",
  });
  config.services[service] = address;
  const gateway = await buildGateway(config, { modules: [module] });
  await gateway.listen();
  process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}

/** One request of an open-loop load. */
export interface PacedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * An open-loop load: `rate` requests a second, evenly spaced, for `durationS` seconds, over at
 * most `connections` keep-alive connections (a request finding them all busy waits for one).
 * Each latency counts from when its request was due, so time spent waiting for a connection or
 * behind a late timer is counted too (no coordinated omission). autocannon's `overallRate` is
 * not this: each connection sends at full speed until it has used its share of the second.
 */
export async function paced(options: {
  url: string;
  rate: number;
  durationS: number;
  connections: number;
  next: () => PacedRequest;
}): Promise<AutocannonResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.durationS);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const codes = new Map<number, number>();
  let errors = 0;
  let done = 0;
  const start = performance.now();
  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const settle = () => {
    if (++done === total) finished();
  };
  const send = (due: number) => {
    const r = options.next();
    const req = request(`${options.url}${r.path}`, { method: r.method, headers: r.headers, agent }, (res) => {
      res.resume();
      res.on("end", () => {
        latencies.push(performance.now() - due);
        codes.set(res.statusCode ?? 0, (codes.get(res.statusCode ?? 0) ?? 0) + 1);
        settle();
      });
    });
    req.on("error", () => {
      errors++;
      settle();
    });
    req.end(r.body);
  };
  let sent = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    while (sent < total && start + sent * intervalMs <= now) send(start + sent++ * intervalMs);
    if (sent === total) clearInterval(timer);
  }, 1);
  await all;
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ok = codes.get(200) ?? 0;
  return {
    requests: { average: ok / elapsedS, total },
    latency: {
      p50: Number(percentile(latencies, 0.5).toFixed(1)),
      p99: Number(percentile(latencies, 0.99).toFixed(1)),
      average: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    },
    non2xx: total - ok - errors,
    errors,
    timeouts: 0,
    statusCodeStats: Object.fromEntries([...codes].map(([code, count]) => [String(code), { count }])),
  };
}
