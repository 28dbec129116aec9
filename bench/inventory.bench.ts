// `npm run bench inventory`: Reserve throughput and p99 over real loopback gRPC against one
// inventory process (its own process, real PostgreSQL): uncontended (each call another SKU)
// and contended (every call the same SKU) interleaved in rounds, so their ratio comes from the
// same moments of a shared machine; then a sell-out run that checks zero oversell. CPU time per
// call (inventory process, PostgreSQL backends, this client process) is read from /proc: it
// moves far less than calls/s when other work shares the cores.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { createClient, type DomainError } from "@toko/kit";
import { createTestDatabase, freePort, testPrincipal } from "@toko/testing";
import { startFakeProduct } from "../services/inventory/test/fake-product.ts";
import { assertLedgerBalances } from "../services/inventory/test/harness.ts";
import type { BenchResult } from "./run.ts";
import { cpuSeconds, median, percentile } from "./support.ts";

const CONCURRENCY = 50;
const ROUNDS = 3;
const ROUND_MS = 3_000;
const SKUS = 1_000;
const SELL_OUT_UNITS = 500;
const SECRET = "toko-test-internal-secret-0123456789";

/** utime + stime of a process in ms (0 when it is gone). */
const cpuMs = (pid: number): number => (cpuSeconds(pid) ?? 0) * 1000;

/** CPU ms of the embedded PostgreSQL server this process started and all its processes. */
function postgresCpuMs(): number {
  const procs: { pid: number; ppid: number; comm: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      procs.push({
        pid: Number(name),
        ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]),
        comm,
      });
    } catch {}
  }
  const postmasters = new Set(
    procs.filter((p) => p.ppid === process.pid && p.comm === "postgres").map((p) => p.pid),
  );
  let total = 0;
  for (const p of procs) if (postmasters.has(p.pid) || postmasters.has(p.ppid)) total += cpuMs(p.pid);
  return total;
}

export default async function (): Promise<BenchResult> {
  const db = await createTestDatabase();
  const skus = Array.from({ length: SKUS }, (_, i) => `BENCH-${i}`);
  const product = await startFakeProduct([
    { shopId: "shop-bench", owner: "seller", skus: [...skus, "HOT", "LAST"] },
  ]);
  const [grpcPort, opsPort] = await Promise.all([freePort(), freePort()]);
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "..", "services", "inventory", "src", "main.ts")],
    {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        EVENT_BUS: "none",
        GRPC_PORT: String(grpcPort),
        OPS_PORT: String(opsPort),
        LOG_LEVEL: "warn",
        LOG_FORMAT: "json",
        TOKO_INTERNAL_SECRET: SECRET,
        TOKO_PRODUCT_ADDR: product.grpcAddress,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const client = createClient(InventoryServiceClient, `127.0.0.1:${grpcPort}`, { internalSecret: SECRET });
  const seller = { principal: testPrincipal("seller", ["seller"]) };
  // Reserve is the checkout saga's: only a service principal may hold stock.
  const saga = { principal: testPrincipal("service:order", ["service"]) };
  const wh = await client.createWarehouse(
    { name: "Bench", address: "Jl. Bench 1", city: "Jakarta", province: "DKI Jakarta", isDefault: true },
    seller,
  );
  const warehouseId = wh.warehouse?.id ?? "";
  for (const sku of [...skus, "HOT"])
    await client.adjustStock(
      { sku, warehouseId, delta: 1_000_000, reason: "bench", isReturn: false },
      seller,
    );
  await client.adjustStock(
    { sku: "LAST", warehouseId, delta: SELL_OUT_UNITS, reason: "bench", isReturn: false },
    seller,
  );

  let seq = 0;
  async function run(durationMs: number, skuOf: (n: number) => string) {
    const latencies: number[] = [];
    let ok = 0;
    let outOfStock = 0;
    let failed = 0;
    const cpu0 = { server: cpuMs(child.pid ?? 0), pg: postgresCpuMs(), client: process.cpuUsage() };
    const started = performance.now();
    const deadline = started + durationMs;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const n = seq++;
          const t0 = performance.now();
          try {
            await client.reserve(
              {
                checkoutId: `bench-${n}`,
                lines: [{ shopId: "shop-bench", sku: skuOf(n), quantity: 1 }],
                ttlSeconds: 3600,
              },
              saga,
            );
            ok++;
          } catch (error) {
            if ((error as DomainError).code === "OUT_OF_STOCK") outOfStock++;
            else failed++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(cpu0.client);
    const calls = Math.max(1, latencies.length);
    latencies.sort((a, b) => a - b);
    return {
      reservedPerSec: ok / seconds,
      callsPerSec: latencies.length / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      ok,
      outOfStock,
      failed,
      serverCpu: (cpuMs(child.pid ?? 0) - cpu0.server) / calls,
      pgCpu: (postgresCpuMs() - cpu0.pg) / calls,
      clientCpu: (clientCpu.user + clientCpu.system) / 1000 / calls,
    };
  }
  type Sample = Awaited<ReturnType<typeof run>>;
  const row = (variant: string, samples: Sample[]) => {
    const rates = samples.map((s) => s.reservedPerSec);
    const pick = (f: (s: Sample) => number) => Number(median(samples.map(f)).toFixed(2));
    return {
      variant,
      "reserved/s (median)": Math.round(median(rates)),
      "min–max": `${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}`,
      "p50 ms": Number(median(samples.map((s) => s.p50)).toFixed(1)),
      "p99 ms": Number(median(samples.map((s) => s.p99)).toFixed(1)),
      "cpu ms/call: inventory": pick((s) => s.serverCpu),
      postgres: pick((s) => s.pgCpu),
      client: pick((s) => s.clientCpu),
      errors: samples.reduce((n, s) => n + s.failed, 0),
    };
  };

  try {
    await run(2_000, (n) => skus[n % SKUS] ?? "");
    const uncontended: Sample[] = [];
    const contended: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      uncontended.push(await run(ROUND_MS, (n) => skus[n % SKUS] ?? ""));
      contended.push(await run(ROUND_MS, () => "HOT"));
    }
    const sellOut = await run(ROUND_MS, () => "LAST");
    const last = await client.getAvailability({ items: [{ shopId: "shop-bench", sku: "LAST" }] });
    const available = last.items[0]?.available ?? -1;
    const oversold = sellOut.ok > SELL_OUT_UNITS || available !== SELL_OUT_UNITS - sellOut.ok;
    await assertLedgerBalances(db.pool);
    const ratios = uncontended.map((u, i) => (contended[i]?.reservedPerSec ?? 0) / u.reservedPerSec);
    const u = row(`uncontended (${SKUS.toLocaleString("en")} SKUs)`, uncontended);
    const cpuPerCall = u["cpu ms/call: inventory"] + u.postgres + u.client;
    return {
      name: "inventory",
      rows: [u, row("contended (one SKU)", contended), row(`sell-out (${SELL_OUT_UNITS} units)`, [sellOut])],
      notes: [
        `${CONCURRENCY} concurrent callers, Reserve of 1 unit per call, one inventory process, loopback gRPC; ${ROUNDS} interleaved rounds of ${ROUND_MS / 1000} s per variant after a 2 s warm-up`,
        `contended / uncontended per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}`,
        `goal: >= 1,500 uncontended reservations/s — median ${u["reserved/s (median)"]}: ${u["reserved/s (median)"] >= 1500 ? "met" : "NOT met"}; CPU per uncontended call ${cpuPerCall.toFixed(2)} ms in all three processes (2 cores => at most ~${Math.round(2000 / cpuPerCall)}/s on an otherwise idle machine)`,
        `sell-out: ${sellOut.ok} of ${SELL_OUT_UNITS} units reserved, ${sellOut.outOfStock} OUT_OF_STOCK, available ${available}; oversell: ${oversold ? "YES" : "none"}; ledger balances`,
      ],
    };
  } finally {
    client.close();
    child.kill("SIGTERM");
    await once(child, "exit");
    await product.stop();
    await db.drop();
  }
}
