// `npm run bench inventory`: Reserve throughput and p99 over real loopback gRPC against one
// inventory process (its own process, real PostgreSQL): uncontended (each call a different SKU)
// versus contended (every call the same SKU), plus a sell-out run that checks zero oversell.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { createClient, type DomainError } from "@toko/kit";
import { createTestDatabase, freePort, testPrincipal } from "@toko/testing";
import { startFakeProduct } from "../services/inventory/test/fake-product.ts";
import { assertLedgerBalances } from "../services/inventory/test/harness.ts";

const CONCURRENCY = 50;
const DURATION_MS = 5_000;
const SKUS = 1_000;
const SELL_OUT_UNITS = 500;
const SECRET = "toko-test-internal-secret-0123456789";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export default async function () {
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
  async function run(label: string, skuOf: (n: number) => string) {
    const latencies: number[] = [];
    let ok = 0;
    let outOfStock = 0;
    let failed = 0;
    const deadline = performance.now() + DURATION_MS;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const n = seq++;
          const t0 = performance.now();
          try {
            await client.reserve({
              checkoutId: `bench-${n}`,
              lines: [{ shopId: "shop-bench", sku: skuOf(n), quantity: 1 }],
              ttlSeconds: 3600,
            });
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
    latencies.sort((a, b) => a - b);
    return {
      variant: label,
      "calls/s": Math.round(latencies.length / seconds),
      "reserved/s": Math.round(ok / seconds),
      "p50 ms": Number(percentile(latencies, 0.5).toFixed(1)),
      "p99 ms": Number(percentile(latencies, 0.99).toFixed(1)),
      reserved: ok,
      out_of_stock: outOfStock,
      errors: failed,
    };
  }

  try {
    await run("warm-up", (n) => skus[n % SKUS] ?? "");
    const rows = [
      await run("uncontended (1,000 SKUs)", (n) => skus[n % SKUS] ?? ""),
      await run("contended (one SKU)", () => "HOT"),
      await run(`sell-out (one SKU, ${SELL_OUT_UNITS} units)`, () => "LAST"),
    ];
    const last = await client.getAvailability({ items: [{ shopId: "shop-bench", sku: "LAST" }] });
    const sold = rows[2]?.reserved ?? 0;
    const oversold = sold > SELL_OUT_UNITS || (last.items[0]?.available ?? -1) !== SELL_OUT_UNITS - sold;
    await assertLedgerBalances(db.pool);
    return {
      name: "inventory",
      rows,
      notes: [
        `${CONCURRENCY} concurrent callers, ${DURATION_MS / 1000} s per variant, one inventory process, loopback gRPC, Reserve of 1 unit per call`,
        `goal: >= 1,500 uncontended reservations/s — ${(rows[0]?.["reserved/s"] ?? 0) >= 1500 ? "met" : "NOT met"}`,
        `sell-out: ${sold} of ${SELL_OUT_UNITS} units reserved, available ${last.items[0]?.available}; oversell: ${oversold ? "YES" : "none"}; ledger balances`,
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
