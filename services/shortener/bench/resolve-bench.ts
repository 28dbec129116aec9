// ResolveLink throughput of one shortener process over loopback gRPC, cached and uncached.
// Usage: node --import tsx services/shortener/bench/resolve-bench.ts  (starts its own PostgreSQL).
import { performance } from "node:perf_hooks";
import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { createClient } from "@toko/kit";
import { createTestDatabase, TEST_INTERNAL_SECRET, testPrincipal } from "@toko/testing";
import { loadShortenerConfig } from "../src/config.ts";
import { startShortener } from "../src/start.ts";

const CONCURRENCY = 50;
const DURATION_MS = 5_000;

async function run(label: string, cacheSize: string): Promise<void> {
  const db = await createTestDatabase();
  const service = await startShortener(
    loadShortenerConfig({
      DATABASE_URL: db.url,
      EVENT_BUS: "none",
      LOG_LEVEL: "silent",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      LINK_CACHE_SIZE: cacheSize,
      LINK_QUOTA_PER_DAY: "1000",
    }),
  );
  const client = createClient(ShortenerServiceClient, service.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
  });
  const codes: string[] = [];
  for (let i = 0; i < 100; i++) {
    const { link } = await client.createLink(
      { url: `https://example.com/${i}`, alias: "" },
      { principal: testPrincipal("bench") },
    );
    if (link) codes.push(link.code);
  }
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; performance.now() < end; i++) {
        const started = performance.now();
        await client.resolveLink({ code: codes[i % codes.length] ?? "" });
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const p = (q: number) => (latencies[Math.floor(latencies.length * q)] ?? 0).toFixed(2);
  process.stdout.write(
    `${label}: ${Math.round(latencies.length / (DURATION_MS / 1000))} calls/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (${CONCURRENCY} in flight)\n`,
  );
  client.close();
  await service.stop();
  await db.drop();
}

await run("ResolveLink cached  ", "10000");
await run("ResolveLink uncached", "0");
process.exit(0);
