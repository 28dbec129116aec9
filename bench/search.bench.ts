// Search through the gateway on a 100,000-product projection, beside a naive `ILIKE '%q%'` query
// (with the same facets) on the same data, in the same run.
import type { ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { createDb, createPool } from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";
import { generateDemo } from "../services/product/src/demo/generator.ts";
import { indexTerms, normalizedPhrase } from "../services/search/src/domain/text.ts";
import { layOutProjection } from "../services/search/src/infrastructure/pg-projection.ts";
import type { BenchResult } from "./run.ts";
import { cpuSeconds, percentile, serveBenchGateway, startNode, stopChild, waitReady } from "./support.ts";

const PRODUCTS = 100_000;
const SECRET = "bench-internal-secret-0123456789";
const self = join(import.meta.dirname, "search.bench.ts");
/** Each query is sent this many times (one at a time, after a warm-up pass). */
const REPEATS = 15;

/** Queries as buyers type them: plain, multi-word, typo, synonym, with filters, category browse. */
const QUERIES: { label: string; q: string; extra?: string; naive: string[] }[] = [
  { label: "kaos", q: "kaos", naive: ["kaos"] },
  { label: "sepatu running", q: "sepatu running", naive: ["sepatu", "running"] },
  { label: "laptop gaming asus", q: "laptop gaming asus", naive: ["laptop", "gaming", "asus"] },
  { label: "iphone 15", q: "iphone 15", naive: ["iphone", "15"] },
  {
    label: "power bank (city, price)",
    q: "power bank",
    extra: "&city=Bandung&max_price=400000",
    naive: ["power", "bank"],
  },
  { label: "mouse wireles (typo)", q: "mouse wireles", naive: ["mouse", "wireles"] },
  { label: "handphone (synonym)", q: "handphone", naive: ["handphone"] },
  { label: "hijab, price_asc", q: "hijab", extra: "&sort=price_asc", naive: ["hijab"] },
  {
    label: "keyboard mechanical in stock",
    q: "keyboard mechanical",
    extra: "&in_stock=true",
    naive: ["keyboard", "mechanical"],
  },
  { label: "serum wajah", q: "serum wajah", naive: ["serum", "wajah"] },
];

export async function load(url: string): Promise<{ ms: number; size: string }> {
  const pool = createPool({ url, max: 2 });
  const started = Date.now();
  try {
    const batch: unknown[][] = [[], [], [], [], [], [], [], [], [], [], [], [], [], []];
    const flush = async () => {
      if ((batch[0] as unknown[]).length === 0) return;
      await pool.query(
        `INSERT INTO search_products (product_id, shop_id, shop_name, shop_slug, city, city_key, title, title_norm,
           category_id, category_name, category_path, image_url, price, catalog_sold, rating_avg, rating_count,
           active, document, created_at, source_updated_at)
         SELECT id, shop, sname, sslug, city, lower(city), title, tnorm, cat, cat, ARRAY[cat], img, price, sold,
           rating, rcount, true,
           setweight(to_tsvector('simple', tterms), 'A') || setweight(to_tsvector('simple', mterms), 'B')
             || setweight(to_tsvector('simple', dterms), 'D'),
           now() - (age || ' days')::interval, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[], $10::int8[], $11::text[], $12::text[], $13::text[], $14::int[])
           AS t(id, shop, sname, sslug, city, title, tnorm, cat, img, price, tterms, mterms, dterms, age)
         CROSS JOIN LATERAL (SELECT (abs(hashtext(id)) % 500)::int8 AS sold,
           CASE WHEN abs(hashtext(id || 'r')) % 3 = 0 THEN 0 ELSE 3 + (abs(hashtext(id)) % 20) / 10.0 END AS rating,
           (abs(hashtext(id || 'c')) % 50)::int8 AS rcount) x`,
        batch,
      );
      for (const column of batch) column.length = 0;
    };
    const shops = new Map<string, { name: string; slug: string; city: string }>();
    let i = 0;
    for (const item of generateDemo({ seed: 20_240_817, shopCount: 2_500, productCount: PRODUCTS })) {
      if (item.kind === "shop") {
        shops.set(item.shop.id, item.shop);
        continue;
      }
      const p = item.product;
      const shop = shops.get(p.shopId);
      const values = [
        p.id,
        p.shopId,
        shop?.name ?? "",
        shop?.slug ?? "",
        shop?.city ?? "",
        p.title,
        normalizedPhrase(p.title),
        p.categorySlug,
        p.images[0] ?? "",
        Math.min(...p.variants.map((v) => v.price)),
        indexTerms(p.title).join(" "),
        indexTerms([...p.attributes.map((a) => a.value), p.categorySlug, shop?.name ?? ""].join(" ")).join(
          " ",
        ),
        indexTerms(p.description).join(" "),
        i++ % 400,
      ];
      for (const [c, v] of values.entries()) (batch[c] as unknown[]).push(v);
      if ((batch[0] as unknown[]).length === 5_000) await flush();
    }
    await flush();
    await pool.query(`INSERT INTO search_words (word)
      SELECT DISTINCT w FROM search_products, unnest(regexp_split_to_array(title_norm, ' ')) w
      WHERE length(w) >= 3 ON CONFLICT DO NOTHING`);
    // As after `npm run reindex`: the table in its physical order, the GIN pending lists merged
    // (autovacuum's job in steady state), so searches do not scan the freshly loaded rows
    // linearly; statistics current.
    await layOutProjection(createDb(pool));
    await pool.query("ANALYZE");
    const size = (
      await pool.query<{ s: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")
    ).rows[0]?.s;
    return { ms: Date.now() - started, size: size ?? "" };
  } finally {
    await pool.end();
  }
}

/** The naive query: every word as `ILIKE '%w%'` on title or description's words, same filters and facets. */
function naiveSql(words: string[], extra: string): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const conds = ["active"];
  for (const w of words) {
    values.push(`%${w}%`);
    conds.push(`(title ILIKE $${values.length} OR category_name ILIKE $${values.length})`);
  }
  const params = new URLSearchParams(extra);
  if (params.get("city")) {
    values.push(params.get("city")?.toLowerCase());
    conds.push(`city_key = $${values.length}`);
  }
  if (params.get("max_price")) {
    values.push(Number(params.get("max_price")));
    conds.push(`price <= $${values.length}`);
  }
  if (params.get("in_stock")) conds.push("in_stock");
  const where = conds.join(" AND ");
  const order = params.get("sort") === "price_asc" ? "price ASC" : "sold_count DESC";
  return {
    text: `WITH page AS (SELECT product_id, title, price FROM search_products WHERE ${where} ORDER BY ${order}, product_id LIMIT 21),
      facets AS (SELECT category_id, city, width_bucket(price, ARRAY[50000,100000,250000,500000,1000000,5000000]::int8[]) b,
        count(*) n FROM search_products WHERE ${where} GROUP BY GROUPING SETS ((category_id), (city), (3), ()))
      SELECT (SELECT count(*) FROM page) AS hits, (SELECT count(*) FROM facets) AS facet_rows`,
    values,
  };
}

export default async function searchBench(): Promise<BenchResult> {
  const db = await createTestDatabase();
  const children: ChildProcess[] = [];
  const pool = createPool({ url: db.url, max: 2 });
  try {
    const [grpcPort, opsPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const search = startNode(["services/search/src/main.ts"], {
      DATABASE_URL: db.url,
      EVENT_BUS: "none",
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: SECRET,
    });
    children.push(search);
    await waitReady(`http://127.0.0.1:${opsPort}/readyz`, search);
    const loaded = await load(db.url);
    const gateway = startNode([self, "gateway"], {
      PORT: String(gatewayPort),
      SEARCH_ADDR: `127.0.0.1:${grpcPort}`,
    });
    children.push(gateway);
    await waitReady(`http://127.0.0.1:${gatewayPort}/healthz`, gateway);
    const base = `http://127.0.0.1:${gatewayPort}/api/v1/search?q=`;

    const timeGateway = async (q: (typeof QUERIES)[number]) => {
      const t = performance.now();
      const res = await fetch(`${base}${encodeURIComponent(q.q)}${q.extra ?? ""}`);
      const body = (await res.json()) as { total?: number };
      if (res.status !== 200) throw new Error(`${q.q}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, total: body.total ?? 0 };
    };
    // The naive query runs on one session of its own, so its PostgreSQL CPU is told apart from
    // the search service's sessions.
    const naiveSession = await pool.connect();
    const timeNaive = async (q: (typeof QUERIES)[number]) => {
      const { text, values } = naiveSql(q.naive, q.extra ?? "");
      const t = performance.now();
      await naiveSession.query(text, values);
      return performance.now() - t;
    };
    const naivePid = Number(
      (await naiveSession.query<{ p: number }>("SELECT pg_backend_pid() AS p")).rows[0]?.p,
    );
    const searchSessions = async () =>
      (
        await naiveSession.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
      ).rows.map((r) => r.pid);
    const cpuOf = (pids: readonly (number | undefined)[]) =>
      new Map(pids.map((pid) => [pid, cpuSeconds(pid) ?? 0] as const));
    // Warm-up: each query once both ways.
    const totals = new Map<string, number>();
    for (const q of QUERIES) {
      totals.set(q.label, (await timeGateway(q)).total);
      await timeNaive(q);
    }
    const gw = new Map<string, number[]>();
    const naive = new Map<string, number[]>();
    // CPU of every process involved, before and after the measured requests (/proc; steadier than
    // latency on a busy machine).
    const processes = { search: search.pid, gateway: gateway.pid, naive: naivePid };
    const sessionsBefore = await searchSessions();
    const cpuBefore = cpuOf([...Object.values(processes), ...sessionsBefore]);
    const loadBefore = loadavg()[0] ?? 0;
    // Interleaved: the same load from other work falls on both.
    for (let r = 0; r < REPEATS; r++) {
      for (const q of QUERIES) {
        gw.set(q.label, [...(gw.get(q.label) ?? []), (await timeGateway(q)).ms]);
        naive.set(q.label, [...(naive.get(q.label) ?? []), await timeNaive(q)]);
      }
    }
    const loadAfter = loadavg()[0] ?? 0;
    const sessions = [...new Set([...sessionsBefore, ...(await searchSessions())])].filter(
      (p) => p !== naivePid,
    );
    const cpuAfter = cpuOf([...Object.values(processes), ...sessions]);
    naiveSession.release();
    const n = REPEATS * QUERIES.length;
    const cpuMs = (pids: readonly (number | undefined)[]) =>
      (pids.reduce<number>((sum, pid) => sum + (cpuAfter.get(pid) ?? 0) - (cpuBefore.get(pid) ?? 0), 0) *
        1000) /
      n;
    const cpu = {
      search: cpuMs([processes.search]),
      gateway: cpuMs([processes.gateway]),
      searchSql: cpuMs(sessions),
      naiveSql: cpuMs([processes.naive]),
    };
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const all = (m: Map<string, number[]>) => sorted([...m.values()].flat());
    const gwAll = all(gw);
    const naiveAll = all(naive);
    const p = (xs: number[], q: number) => Number(percentile(xs, q).toFixed(1));
    const rows = QUERIES.map((q) => {
      const g = sorted(gw.get(q.label) ?? []);
      const n = sorted(naive.get(q.label) ?? []);
      return {
        query: q.label,
        matches: totals.get(q.label) ?? 0,
        "gateway p50 ms": p(g, 0.5),
        "gateway p95 ms": p(g, 0.95),
        "naive SQL p50 ms": p(n, 0.5),
        "naive SQL p95 ms": p(n, 0.95),
        "naive/search p50": (percentile(n, 0.5) / percentile(g, 0.5)).toFixed(1),
      };
    });
    rows.push({
      query: "ALL",
      matches: 0,
      "gateway p50 ms": p(gwAll, 0.5),
      "gateway p95 ms": p(gwAll, 0.95),
      "naive SQL p50 ms": p(naiveAll, 0.5),
      "naive SQL p95 ms": p(naiveAll, 0.95),
      "naive/search p50": (percentile(naiveAll, 0.5) / percentile(gwAll, 0.5)).toFixed(1),
    });
    const p95 = percentile(gwAll, 0.95);
    const ratio95 = percentile(naiveAll, 0.95) / p95;
    return {
      name: `Search GET /api/v1/search through the gateway (${PRODUCTS.toLocaleString("en")}-product projection, facets) vs naive ILIKE`,
      rows,
      notes: [
        `${QUERIES.length} queries × ${REPEATS}, one request at a time, interleaved with the naive query; every search computes facets (category, city, price, rating) and the total.`,
        `The naive side is measured straight on PostgreSQL (no gateway, no gRPC): ILIKE '%w%' per word on title and category, sold-count order, LIMIT 21, the same facet GROUPING SETS.`,
        `Overall p95: search ${p95.toFixed(1)} ms through the gateway, naive ${percentile(naiveAll, 0.95).toFixed(1)} ms; naive/search at p95 = ${ratio95.toFixed(1)}×.`,
        `CPU per request (/proc, all ${n} measured requests): search PostgreSQL sessions ${cpu.searchSql.toFixed(2)} ms, search process ${cpu.search.toFixed(2)} ms, gateway ${cpu.gateway.toFixed(2)} ms (total ${(cpu.searchSql + cpu.search + cpu.gateway).toFixed(2)} ms); naive PostgreSQL session ${cpu.naiveSql.toFixed(2)} ms. naive/search CPU: ${(cpu.naiveSql / cpu.searchSql).toFixed(1)}× on PostgreSQL alone, ${(cpu.naiveSql / (cpu.searchSql + cpu.search + cpu.gateway)).toFixed(1)}× against the whole search path.`,
        `Load average (1 min) ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the measured requests, on ${availableParallelism()} CPUs.`,
        `Goal (p95 ≤ 20 ms and ≥ 10× faster than naive): ${p95 <= 20 && ratio95 >= 10 ? "met" : "NOT met"} on this run.`,
        `Projection loaded in ${(loaded.ms / 1000).toFixed(1)} s (demo generator, seed 20240817), database ${loaded.size}.`,
      ],
    };
  } finally {
    await pool.end();
    for (const child of children.reverse()) await stopChild(child);
    await db.drop();
  }
}

async function serveGateway(): Promise<void> {
  const { searchModule } = await import("../apps/gateway/src/routes/search/index.ts");
  await serveBenchGateway(searchModule, "search", process.env.SEARCH_ADDR ?? "", SECRET);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
}
