// `npm run bench -- cart`: POST /api/v1/cart/items and GET /api/v1/cart (20 lines from 5 shops)
// through the gateway to the cart service (real PostgreSQL, its catalog projection filled from
// the real product service on first add), beside a bare node:http server answering a cart-sized
// JSON body, same run, same load (autocannon, 50 connections, loopback, every server in its own
// process). Guest carts (X-Cart-Token), so no token issuer is needed; a signed-in cart takes the
// same path after the gateway's cached token check. Rounds repeat because the machine is shared.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import {
  CartServiceClient,
  type CartServiceServer,
  CartServiceService,
  GetCartResponse,
} from "@toko/contracts/toko/cart/v1/cart";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import {
  createClient,
  createLogger,
  errors,
  implement,
  loadConfig,
  serviceEnvShape,
  startService,
} from "@toko/kit";
import { createTestDatabase, freePort } from "@toko/testing";
import { pino } from "pino";
import { z } from "zod";
import {
  type AutocannonRequest,
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SHOPS = 5;
const VARIANTS_PER_SHOP = 4;
/** Guest carts the adds spread over (writes to one cart serialize on its row). */
const ADD_CARTS = 100;
const SECRET = "bench-internal-secret-0123456789";
const self = join(import.meta.dirname, "cart.bench.ts");

/** A gateway run with the CPU µs per request of each process measured (from /proc). */
interface Measured extends AutocannonResult {
  cpuUs: Record<string, number>;
}

interface Round {
  bare: [AutocannonResult, AutocannonResult, AutocannonResult];
  adds: Measured;
  reads: Measured;
  /** The same read through the gateway to a cart process that answers from memory. */
  ceiling: Measured;
}
const mean = (a: AutocannonResult, b: AutocannonResult) => (a.requests.average + b.requests.average) / 2;

/** 20 variants from 5 shops, created through the real product service. */
async function seedCatalog(productAddr: string): Promise<string[]> {
  const client = createClient(ProductServiceClient, productAddr, {
    internalSecret: SECRET,
    deadlineMs: 10_000,
  });
  try {
    const { categories } = await client.listCategories({}, { principal: null });
    let leaf = categories[0];
    while (leaf && leaf.children.length > 0) leaf = leaf.children[0];
    const variants: string[] = [];
    for (let s = 0; s < SHOPS; s++) {
      const principal = {
        subject: `bench-seller-${s}`,
        roles: ["buyer", "seller"],
        scopes: ["buyer", "seller"],
      };
      await client.openShop(
        {
          name: `Toko Bench ${s}`,
          slug: `toko-bench-${s}`,
          city: "Bandung",
          province: "Jawa Barat",
          description: "",
        },
        { principal },
      );
      for (let p = 0; p < VARIANTS_PER_SHOP; p++) {
        const { product } = await client.createProduct(
          {
            title: `Produk ${s}-${p}`,
            description: "Barang untuk bench",
            categoryId: leaf?.id ?? "",
            condition: 1,
            weightGrams: 500,
            lengthCm: 20,
            widthCm: 10,
            heightCm: 5,
            minOrder: 1,
            images: [`https://img.example/${s}-${p}.jpg`],
            attributes: [],
            variants: [
              {
                sku: `B-${s}-${p}`,
                options: [{ name: "Ukuran", value: "M" }],
                price: { amount: 25_000 + 1_000 * p, currency: "IDR" },
              },
            ],
            status: ProductStatus.PRODUCT_STATUS_ACTIVE,
          },
          { principal },
        );
        const id = product?.variants[0]?.id;
        if (!id) throw new Error("CreateProduct answered without a variant");
        variants.push(id);
      }
    }
    return variants;
  } finally {
    client.close();
  }
}

/** A guest cart holding `variants` (one each); returns its token. */
async function guestCart(gatewayUrl: string, variants: string[]): Promise<string> {
  let token = "";
  for (const variant_id of variants) {
    const res = await fetch(`${gatewayUrl}/api/v1/cart/items`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { "x-cart-token": token } : {}) },
      body: JSON.stringify({ variant_id, quantity: 1 }),
    });
    if (!res.ok) throw new Error(`add failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { cart_token?: string };
    token ||= body.cart_token ?? "";
  }
  return token;
}

/** CPU seconds used so far by each named group of processes. */
async function cpuOf(pids: () => Promise<Record<string, number[]>>): Promise<Record<string, number>> {
  const groups = await pids();
  return Object.fromEntries(
    Object.entries(groups).map(([k, list]) => [k, list.reduce((a, pid) => a + (cpuSeconds(pid) ?? 0), 0)]),
  );
}

async function measure(
  url: string,
  requests: AutocannonRequest[],
  pids: () => Promise<Record<string, number[]>> = async () => ({}),
): Promise<Measured> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, requests });
  const before = await cpuOf(pids);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests });
  const after = await cpuOf(pids);
  const cpuUs: Record<string, number> = {};
  for (const k of Object.keys(after))
    if (result.requests.total > 0)
      cpuUs[k] = (((after[k] ?? 0) - (before[k] ?? 0)) * 1e6) / result.requests.total;
  return { ...result, cpuUs };
}

/** Cart adds and reads through the gateway, as ratios of a bare node:http server. */
export default async function cartBench() {
  const [productDb, cartDb, busDb] = await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    createTestDatabase(),
  ]);
  const children: ChildProcess[] = [];
  try {
    const [productGrpc, productOps, cartGrpc, cartOps, gatewayPort, barePort] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const product = startNode(["services/product/src/main.ts"], {
      DATABASE_URL: productDb.url,
      BUS_DATABASE_URL: busDb.url,
      GRPC_PORT: String(productGrpc),
      OPS_PORT: String(productOps),
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_USER_ADDR: "127.0.0.1:9",
    });
    children.push(product);
    const cart = startNode(["services/cart/src/main.ts"], {
      DATABASE_URL: cartDb.url,
      BUS_DATABASE_URL: busDb.url,
      GRPC_PORT: String(cartGrpc),
      OPS_PORT: String(cartOps),
      TOKO_INTERNAL_SECRET: SECRET,
      TOKO_PRODUCT_ADDR: `127.0.0.1:${productGrpc}`,
      // No inventory runs: stock stays unknown (nothing listens on port 9), as the adds need.
      TOKO_INVENTORY_ADDR: "127.0.0.1:9",
      // Many adds land on the same lines; the line maximum is not what is measured.
      CART_MAX_LINE_QUANTITY: "100000",
    });
    children.push(cart);
    await waitReady(`http://127.0.0.1:${productOps}/readyz`, product);
    await waitReady(`http://127.0.0.1:${cartOps}/readyz`, cart);
    const variants = await seedCatalog(`127.0.0.1:${productGrpc}`);
    const gateway = startNode([self, "gateway"], {
      PORT: String(gatewayPort),
      CART_ADDR: `127.0.0.1:${cartGrpc}`,
    });
    children.push(gateway);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await waitReady(`${gatewayUrl}/healthz`, gateway);

    // The read target: one guest cart of 20 lines from 5 shops. The add targets: many guest carts.
    const readToken = await guestCart(gatewayUrl, variants);
    const sample = await (
      await fetch(`${gatewayUrl}/api/v1/cart`, { headers: { "x-cart-token": readToken } })
    ).text();
    const addTokens: string[] = [];
    for (let i = 0; i < ADD_CARTS; i++)
      addTokens.push(await guestCart(gatewayUrl, variants.slice(i % 20, (i % 20) + 1)));
    const bare = startNode([self, "bare"], { PORT: String(barePort), BODY: sample });
    children.push(bare);
    await waitReady(`http://127.0.0.1:${barePort}/`, bare);

    // The ceiling of one gRPC hop: the same gateway route in front of a cart process (the kit's
    // server, principal checks and all) that answers GetCart with the read cart held in memory:
    // no database, no pricing. A read that needs the cart service cannot beat it.
    const [fixedGrpc, fixedOps, fixedGatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const fixed = startNode([self, "fixed-cart"], {
      GRPC_PORT: String(fixedGrpc),
      OPS_PORT: String(fixedOps),
      CART_FIXED: await encodedCart(`127.0.0.1:${cartGrpc}`, readToken),
    });
    children.push(fixed);
    await waitReady(`http://127.0.0.1:${fixedOps}/readyz`, fixed);
    const fixedGateway = startNode([self, "gateway"], {
      PORT: String(fixedGatewayPort),
      CART_ADDR: `127.0.0.1:${fixedGrpc}`,
    });
    children.push(fixedGateway);
    const fixedUrl = `http://127.0.0.1:${fixedGatewayPort}`;
    await waitReady(`${fixedUrl}/healthz`, fixedGateway);
    const fixedSample = await (
      await fetch(`${fixedUrl}/api/v1/cart`, { headers: { "x-cart-token": readToken } })
    ).text();
    if (fixedSample !== sample) throw new Error("the in-memory cart answers another body than the real one");

    let n = 0;
    const addRequests: AutocannonRequest[] = [
      {
        method: "POST",
        path: "/api/v1/cart/items",
        setupRequest: (req) => {
          n += 1;
          return {
            ...req,
            headers: { "content-type": "application/json", "x-cart-token": addTokens[n % ADD_CARTS] ?? "" },
            body: JSON.stringify({ variant_id: variants[(n * 7) % variants.length], quantity: 1 }),
          };
        },
      },
    ];
    const readRequests: AutocannonRequest[] = [
      { method: "GET", path: "/api/v1/cart", headers: { "x-cart-token": readToken } },
    ];
    // The cart database's server processes (its pool's sessions) count as the cart's PostgreSQL.
    const pids = async () => {
      const { rows } = await cartDb.pool.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      return {
        gateway: gateway.pid ? [gateway.pid] : [],
        cart: cart.pid ? [cart.pid] : [],
        postgres: rows.map((r) => r.pid),
      };
    };
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const bareRun = () => measure(bareUrl, [{ method: "GET", path: "/" }]);
    const rounds: Round[] = [];
    let before = await bareRun();
    for (let round = 0; round < ROUNDS; round++) {
      const adds = await measure(gatewayUrl, addRequests, pids);
      const middle = await bareRun();
      const reads = await measure(gatewayUrl, readRequests, pids);
      const ceiling = await measure(fixedUrl, readRequests, async () => ({
        gateway: fixedGateway.pid ? [fixedGateway.pid] : [],
        cart: fixed.pid ? [fixed.pid] : [],
      }));
      const after = await bareRun();
      rounds.push({ bare: [before, middle, after], adds, reads, ceiling });
      before = after;
    }
    const lines = (JSON.parse(sample) as { shops: { lines: unknown[] }[] }).shops;
    const cpu = (r: AutocannonResult, k: string) => (r as Partial<Measured>).cpuUs?.[k]?.toFixed(0) ?? "";
    const row = (target: string, r: AutocannonResult, base?: number) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "ratio to bare": base ? (r.requests.average / base).toFixed(3) : "",
      "gateway CPU µs/req": cpu(r, "gateway"),
      "cart CPU µs/req": cpu(r, "cart"),
      "PostgreSQL CPU µs/req": cpu(r, "postgres"),
      "non-2xx": r.non2xx,
      errors: r.errors + r.timeouts,
    });
    const addRates = rounds.map((r) => r.adds.requests.average);
    const readRatios = rounds.map((r) => r.reads.requests.average / mean(r.bare[1], r.bare[2]));
    const addRatios = rounds.map((r) => r.adds.requests.average / mean(r.bare[0], r.bare[1]));
    const ceilingRatios = rounds.map((r) => r.ceiling.requests.average / mean(r.bare[1], r.bare[2]));
    const p99 = (k: "adds" | "reads" | "ceiling") => rounds.map((r) => r[k].latency.p99);
    const met =
      median(addRates) >= 1_000 &&
      median(readRatios) >= 0.1 &&
      median(p99("adds")) <= 50 &&
      median(p99("reads")) <= 50;
    return {
      name: "Cart POST /api/v1/cart/items and GET /api/v1/cart (20 lines, 5 shops) through the gateway",
      rows: rounds.flatMap((r, i) => [
        ...(i === 0 ? [row(`bare node:http (${sample.length}-byte cart JSON)`, r.bare[0])] : []),
        row(`#${i + 1} gateway POST /api/v1/cart/items`, r.adds, mean(r.bare[0], r.bare[1])),
        row("bare node:http", r.bare[1]),
        row(`#${i + 1} gateway GET /api/v1/cart`, r.reads, mean(r.bare[1], r.bare[2])),
        row(`#${i + 1} ceiling: gateway → in-memory cart`, r.ceiling, mean(r.bare[1], r.bare[2])),
        row("bare node:http", r.bare[2]),
      ]),
      notes: [
        `${CONNECTIONS} connections, loopback, ${ROUNDS} rounds, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per run; each ratio is against the mean of the bare runs right before and after it.`,
        "CPU µs per request from /proc: the gateway, the cart process, and the PostgreSQL sessions of the cart's database.",
        `Read cart: ${lines.length} shops, ${lines.reduce((a, s) => a + s.lines.length, 0)} lines. Adds: quantity 1 of one of the 20 variants into one of ${ADD_CARTS} guest carts (each answer is the whole priced cart).`,
        `Adds/s: ${spread(addRates, 0)}; ratio to bare ${spread(addRatios, 3)}; p99 ms ${spread(p99("adds"), 0)}.`,
        `Reads ratio to bare: ${spread(readRatios, 3)}; p99 ms ${spread(p99("reads"), 0)}.`,
        `Ceiling (the read route in front of a cart process answering from memory, no database): ratio to bare ${spread(ceilingRatios, 3)}; p99 ms ${spread(p99("ceiling"), 0)}.`,
        `Goal (adds ≥ 1,000/s, reads ≥ 0.1× bare, p99 ≤ 50 ms): ${met ? "met" : "NOT met"}.`,
      ],
    };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    await Promise.all([productDb.drop(), cartDb.drop(), busDb.drop()]);
  }
}

/** The read cart as the real cart service answers it, protobuf-encoded (base64) for the fixed process. */
async function encodedCart(cartAddr: string, cartToken: string): Promise<string> {
  const client = createClient(CartServiceClient, cartAddr, { internalSecret: SECRET, deadlineMs: 10_000 });
  try {
    const res = await client.getCart({ ref: { cartToken } }, { principal: null });
    return Buffer.from(GetCartResponse.encode(res).finish()).toString("base64");
  } finally {
    client.close();
  }
}

/** A cart process that answers every GetCart with one cart held in memory (the ceiling row). */
async function serveFixedCart(): Promise<void> {
  const answer = GetCartResponse.decode(Buffer.from(process.env.CART_FIXED ?? "", "base64"));
  const env = loadConfig("cart", z.object(serviceEnvShape), {
    TOKO_INTERNAL_SECRET: SECRET,
    GRPC_PORT: process.env.GRPC_PORT,
    OPS_PORT: process.env.OPS_PORT,
  });
  const logger = createLogger({
    service: "cart",
    level: "warn",
    destination: pino.destination({ dest: "/dev/null" }),
  });
  const unimplemented = async (): Promise<never> => {
    throw errors.precondition("NOT_SERVED", "only GetCart is served here");
  };
  const handlers = Object.fromEntries(Object.keys(CartServiceService).map((k) => [k, unimplemented]));
  await startService({
    name: "cart",
    env,
    logger,
    services: [
      implement<CartServiceServer>(CartServiceService, { anonymous: ["getCart"] }, {
        ...handlers,
        getCart: async () => answer,
      } as never),
    ],
  });
  process.once("SIGTERM", () => process.exit(0));
}

async function serveGateway(): Promise<void> {
  const { cartModule } = await import("../apps/gateway/src/routes/cart/index.ts");
  await serveBenchGateway(cartModule, "cart", process.env.CART_ADDR ?? "", SECRET);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
  else if (process.argv[2] === "bare") serveBareJson();
  else if (process.argv[2] === "fixed-cart") await serveFixedCart();
}
