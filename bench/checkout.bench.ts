// `npm run bench -- checkout`: POST /api/v1/checkout end to end through the gateway — the order
// service's saga up to the payment's instructions: cart.ReserveVouchers (live prices, a shipping
// quote to the buyer's address from user.GetAddress, answered back to order, the voucher holds),
// product.GetShop/BatchGetProducts (cached by
// order), inventory.Reserve, payment.CreatePayment — with user, product, inventory, cart, shipping, payment and order each a
// process of its own on its own database (one PostgreSQL bus), beside a bare node:http server
// answering a checkout-sized JSON body in the same run (autocannon, loopback). Many buyers, each
// with a cart of one line; every request a new Idempotency-Key, so every one is a new checkout.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import {
  CheckoutResponse,
  OrderServiceClient,
  type OrderServiceServer,
  OrderServiceService,
} from "@toko/contracts/toko/order/v1/order";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import {
  GetAddressResponse,
  UserServiceClient,
  type UserServiceServer,
  UserServiceService,
} from "@toko/contracts/toko/user/v1/user";
import {
  createClient,
  createLogger,
  DomainError,
  errors,
  implement,
  loadConfig,
  type Principal,
  RemoteCallError,
  serviceEnvShape,
  startService,
} from "@toko/kit";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import pg from "pg";
import { pino } from "pino";
import { z } from "zod";
import { startTestIssuer } from "../apps/gateway/test/helpers/test-issuer.ts";
import {
  type AutocannonRequest,
  type AutocannonResult,
  autocannon,
  cpuSeconds,
  serveBareJson,
  startNode,
  stopChild,
  waitReady,
} from "./support.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_S = 3;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
/** Seconds with no request before the measured run: the stack's idle CPU and commits. */
const IDLE_S = 5;
const BUYERS = 200;
const SHOPS = 5;
const SECRET = "bench-internal-secret-0123456789";
const self = join(import.meta.dirname, "checkout.bench.ts");
const SERVICES = ["user", "product", "inventory", "cart", "shipping", "payment", "order"] as const;
type Service = (typeof SERVICES)[number];

const principal = (subject: string, roles: string[]): { principal: Principal } => ({
  principal: { subject, roles, scopes: roles },
});

interface Stack {
  grpc: Record<Service, string>;
  ops: Record<Service, number>;
  children: Record<Service, ChildProcess>;
  dbs: Record<Service | "bus", TestDatabase>;
}

/** Every service the checkout touches, as processes, ready. */
async function startStack(all: ChildProcess[]): Promise<Stack> {
  const names = [...SERVICES, "bus"] as const;
  const list = await Promise.all(names.map(() => createTestDatabase()));
  const dbs = Object.fromEntries(names.map((n, i) => [n, list[i]])) as Stack["dbs"];
  const ports = await Promise.all(SERVICES.flatMap(() => [freePort(), freePort()]));
  const grpc = {} as Record<Service, string>;
  const ops = {} as Record<Service, number>;
  SERVICES.forEach((s, i) => {
    grpc[s] = `127.0.0.1:${ports[2 * i]}`;
    ops[s] = ports[2 * i + 1] as number;
  });
  const addrs = {
    TOKO_USER_ADDR: grpc.user,
    TOKO_PRODUCT_ADDR: grpc.product,
    TOKO_INVENTORY_ADDR: grpc.inventory,
    TOKO_CART_ADDR: grpc.cart,
    TOKO_SHIPPING_ADDR: grpc.shipping,
    TOKO_PAYMENT_ADDR: grpc.payment,
  };
  const extra: Record<Service, Record<string, string>> = {
    user: { TOKO_PUBLIC_ORIGIN: "http://localhost:8080" },
    product: {},
    inventory: {},
    cart: {},
    shipping: { TOKO_ENV: "development", SHIPPING_SIMULATOR: "true" },
    payment: {
      PAYMENT_WEBHOOK_URL: "http://127.0.0.1:9/webhook",
      PAYMENT_WEBHOOK_SECRET: "bench-webhook-secret-0123456789",
    },
    order: {},
  };
  const children = {} as Record<Service, ChildProcess>;
  const start = async (group: readonly Service[]) => {
    for (const s of group) {
      const child = startNode([`services/${s}/src/main.ts`], {
        ...addrs,
        DATABASE_URL: dbs[s].url,
        BUS_DATABASE_URL: dbs.bus.url,
        EVENT_BUS: "postgres",
        GRPC_PORT: grpc[s].split(":")[1] as string,
        OPS_PORT: String(ops[s]),
        TOKO_INTERNAL_SECRET: SECRET,
        ...extra[s],
      });
      children[s] = child;
      all.push(child);
    }
    await Promise.all(group.map((s) => waitReady(`http://127.0.0.1:${ops[s]}/readyz`, children[s], 3_000)));
  };
  // In dependency order, a few at a time (the machine is small).
  await start(["user", "shipping", "payment"]);
  await start(["product"]);
  await start(["inventory", "cart", "order"]);
  return { grpc, ops, children, dbs };
}

/** Runs `call` again while it fails for a passing reason (an overloaded process). */
async function retried<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (error) {
      const transient =
        error instanceof RemoteCallError || (error instanceof DomainError && error.kind === "unavailable");
      if (!transient || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 1_000 * i));
    }
  }
}

/** Shops with one product each, plenty of stock, and `BUYERS` buyers with an address and a cart line. */
async function seed(stack: Stack) {
  const opts = { internalSecret: SECRET, deadlineMs: 30_000 };
  const products = createClient(ProductServiceClient, stack.grpc.product, opts);
  const stock = createClient(InventoryServiceClient, stack.grpc.inventory, opts);
  const carts = createClient(CartServiceClient, stack.grpc.cart, opts);
  try {
    const { categories } = await products.listCategories({}, { principal: null });
    let leaf = categories[0];
    while (leaf && leaf.children.length > 0) leaf = leaf.children[0];
    const variants: string[] = [];
    for (let s = 0; s < SHOPS; s++) {
      const seller = principal(`bench-seller-${s}`, ["buyer", "seller"]);
      await products.openShop(
        { name: `Toko ${s}`, slug: `toko-co-${s}`, city: "Bandung", province: "Jawa Barat", description: "" },
        seller,
      );
      const { product } = await products.createProduct(
        {
          title: `Kopi ${s}`,
          description: "Arabika",
          categoryId: leaf?.id ?? "",
          condition: 1,
          weightGrams: 300,
          lengthCm: 20,
          widthCm: 10,
          heightCm: 5,
          minOrder: 1,
          images: ["https://img.example/kopi.jpg"],
          attributes: [],
          variants: [
            {
              sku: `CO-${s}`,
              options: [{ name: "Giling", value: "Biji" }],
              price: { amount: 80_000, currency: "IDR" },
            },
          ],
          status: ProductStatus.PRODUCT_STATUS_ACTIVE,
        },
        seller,
      );
      const variant = product?.variants[0];
      if (!variant) throw new Error("CreateProduct answered without a variant");
      const { warehouse } = await stock.createWarehouse(
        { name: "Gudang", address: "Jl. Braga 1", city: "Bandung", province: "Jawa Barat", isDefault: true },
        seller,
      );
      await stock.adjustStock(
        {
          sku: variant.sku,
          warehouseId: warehouse?.id ?? "",
          delta: 10_000_000,
          reason: "bench",
          isReturn: false,
        },
        seller,
      );
      variants.push(variant.id);
    }
    // Buyers go straight into the user database: sign-up hashes a password, which is not what
    // is measured. The gateway takes their tokens from the bench's issuer.
    const buyers = Array.from({ length: BUYERS }, (_, i) => ({
      id: randomUUID(),
      addressId: randomUUID(),
      variant: variants[i % SHOPS] as string,
    }));
    await stack.dbs.user.pool.query(
      `INSERT INTO users (id, email, name, password_hash)
       SELECT u, 'bench-' || u || '@example.com', 'Pembeli', '!no-sign-in' FROM unnest($1::uuid[]) AS u`,
      [buyers.map((b) => b.id)],
    );
    await stack.dbs.user.pool.query(
      `INSERT INTO addresses (id, user_id, label, recipient, phone, street, district, city, province,
                              postal_code, is_default)
       SELECT a, u, 'Rumah', 'Budi', '+6281234567890', 'Jl. Merdeka 1', 'Kebayoran Baru',
              'Jakarta Selatan', 'DKI Jakarta', '12110', true
         FROM unnest($1::uuid[], $2::uuid[]) AS t (u, a)`,
      [buyers.map((b) => b.id), buyers.map((b) => b.addressId)],
    );
    const lineSet = (variantId: string, as: { principal: Principal }) =>
      carts.updateItem({ ref: undefined, variantId, quantity: 1 }, as).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === "NOT_FOUND")
          return carts.addItem({ ref: undefined, variantId, quantity: 1 }, as);
        throw e;
      });
    const ready: { id: string; addressId: string; shipping: { shop_id: string; option_id: string }[] }[] = [];
    for (let i = 0; i < buyers.length; i += 20) {
      const batch = await Promise.all(
        buyers.slice(i, i + 20).map(async (b) => {
          const as = principal(b.id, ["buyer"]);
          await retried(() => lineSet(b.variant, as));
          const { shops } = await retried(() => carts.getShippingOptions({ addressId: b.addressId }, as));
          return {
            id: b.id,
            addressId: b.addressId,
            shipping: shops.map((s) => ({ shop_id: s.shopId, option_id: s.options[0]?.id ?? "" })),
          };
        }),
      );
      ready.push(...batch);
    }
    return ready;
  } finally {
    products.close();
    stock.close();
    carts.close();
  }
}

/** CPU seconds used so far by each process. */
const cpuOf = (pids: Record<string, number | undefined>) =>
  Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) ?? 0]));

/** CPU seconds of each process now. */
const cpuOfPids = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));

/** CPU seconds used since `before` by its processes, those that ended in between left out. */
function cpuSince(before: Map<number, number | undefined>): number {
  let sum = 0;
  for (const [pid, then] of before) {
    const now = cpuSeconds(pid);
    if (then !== undefined && now !== undefined) sum += now - then;
  }
  return sum;
}

/** PostgreSQL sessions of the stack's databases (all test databases share one server). */
async function postgresPids(stack: Stack): Promise<number[]> {
  const { rows } = await stack.dbs.order.pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
  );
  return rows.map((r) => r.pid);
}

/** gRPC calls each service process has served, by `service/method` (its ops port's /metrics). */
async function grpcServed(stack: Stack): Promise<Map<string, number>> {
  const served = new Map<string, number>();
  for (const s of SERVICES) {
    const text = await (await fetch(`http://127.0.0.1:${stack.ops[s]}/metrics`)).text();
    for (const m of text.matchAll(/^toko_grpc_server_handled_total\{([^}]*)\} (\d+)/gm)) {
      const method = /method="([^"]*)"/.exec(m[1] ?? "")?.[1] ?? "?";
      const key = `${s}.${method}`;
      served.set(key, (served.get(key) ?? 0) + Number(m[2]));
    }
  }
  return served;
}

/** Committed transactions per database (a statement outside a transaction counts as one). */
async function commits(stack: Stack): Promise<Map<string, number>> {
  const names = new Map(Object.entries(stack.dbs).map(([s, d]) => [new URL(d.url).pathname.slice(1), s]));
  const { rows } = await stack.dbs.order.pool.query<{ datname: string; xact_commit: string }>(
    "SELECT datname, xact_commit FROM pg_stat_database",
  );
  return new Map(
    rows.flatMap((r) =>
      names.has(r.datname) ? [[names.get(r.datname) as string, Number(r.xact_commit)]] : [],
    ),
  );
}

/** Requests answered with a 2xx. */
const succeeded = (r: AutocannonResult) => Math.max(0, r.requests.total - r.non2xx - r.errors - r.timeouts);

/** The sum over the keys `keep` accepts of `after - before`, per checkout. */
function countPerCheckout(
  before: Map<string, number>,
  after: Map<string, number>,
  done: number,
  keep: (key: string) => boolean,
): number {
  let sum = 0;
  for (const [k, v] of after) if (keep(k)) sum += v - (before.get(k) ?? 0);
  return sum / Math.max(done, 1);
}

/** A real checkout's gRPC answer (a new key), which the floor's order process answers every time. */
async function checkoutAnswer(stack: Stack, buyerId: string, body: string): Promise<string> {
  const client = createClient(OrderServiceClient, stack.grpc.order, {
    internalSecret: SECRET,
    deadlineMs: 30_000,
  });
  try {
    const req = JSON.parse(body) as {
      address_id: string;
      shipping: { shop_id: string; option_id: string }[];
    };
    const res = await client.checkout(
      {
        idempotencyKey: randomUUID(),
        addressId: req.address_id,
        shipping: req.shipping.map((x) => ({ shopId: x.shop_id, optionId: x.option_id })),
        paymentMethod: "bank_transfer_va",
        paymentChannel: "bca",
        voucherCodes: [],
        overrideVouchers: false,
      },
      principal(buyerId, ["buyer"]),
    );
    return Buffer.from(CheckoutResponse.encode(res).finish()).toString("base64");
  } finally {
    client.close();
  }
}

/** A real address-book answer for the buyer, which the floor's downstream answers every time. */
async function addressAnswer(stack: Stack, buyerId: string, body: string): Promise<string> {
  const client = createClient(UserServiceClient, stack.grpc.user, {
    internalSecret: SECRET,
    deadlineMs: 30_000,
  });
  try {
    const { address_id: addressId } = JSON.parse(body) as { address_id: string };
    const res = await client.getAddress({ addressId }, principal(buyerId, ["buyer"]));
    return Buffer.from(GetAddressResponse.encode(res).finish()).toString("base64");
  } finally {
    client.close();
  }
}

/**
 * The floor row: the real gateway route in front of a kit order process whose Checkout makes
 * `hops` sequential kit gRPC calls to a process that answers at once and `writes` one-row
 * INSERTs, then answers `answer`. What the checkout's fan-out and write count cost with no work.
 */
async function measureFloor(
  stack: Stack,
  all: ChildProcess[],
  o: {
    hops: number;
    writes: number;
    answer: string;
    address: string;
    run: (url: string) => Promise<AutocannonResult>;
    issuer: Awaited<ReturnType<typeof startTestIssuer>>;
  },
) {
  const db = await createTestDatabase();
  try {
    const [hopGrpc, hopOps, orderGrpc, orderOps, gatewayPort] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const hop = startNode([self, "floor-hop"], {
      GRPC_PORT: String(hopGrpc),
      OPS_PORT: String(hopOps),
      ANSWER: o.address,
    });
    const order = startNode([self, "floor-order"], {
      GRPC_PORT: String(orderGrpc),
      OPS_PORT: String(orderOps),
      HOP_ADDR: `127.0.0.1:${hopGrpc}`,
      HOPS: String(o.hops),
      WRITES: String(o.writes),
      ANSWER: o.answer,
      DATABASE_URL: db.url,
    });
    all.push(hop, order);
    await Promise.all([
      waitReady(`http://127.0.0.1:${hopOps}/readyz`, hop),
      waitReady(`http://127.0.0.1:${orderOps}/readyz`, order),
    ]);
    const gateway = startNode([self, "gateway"], {
      PORT: String(gatewayPort),
      ORDER_ADDR: `127.0.0.1:${orderGrpc}`,
      ISSUER: o.issuer.issuer,
      JWKS_URL: o.issuer.jwksUrl,
      AUDIENCE: o.issuer.audience,
    });
    all.push(gateway);
    const url = `http://127.0.0.1:${gatewayPort}`;
    await waitReady(`${url}/healthz`, gateway);
    await o.run(url); // warm-up
    const pids = { gateway: gateway.pid, order: order.pid, hop: hop.pid };
    const pg = await postgresPids(stack);
    const before = cpuOf(pids);
    const pgBefore = cpuOfPids(pg);
    const result = await o.run(url);
    const after = cpuOf(pids);
    const pgSeconds = cpuSince(pgBefore);
    const done = Math.max(succeeded(result), 1);
    const cpu = [
      ...Object.keys(pids).map(
        (k) => `${k} ${((((after[k] ?? 0) - (before[k] ?? 0)) * 1e6) / done).toFixed(0)}`,
      ),
      `PostgreSQL ${((pgSeconds * 1e6) / done).toFixed(0)}`,
    ].join(", ");
    for (const child of [gateway, order, hop]) await stopChild(child);
    return { hops: o.hops, writes: o.writes, result, cpu };
  } finally {
    await db.drop();
  }
}

/** `after - before` per key, per checkout, as "key n.n" sorted by key. */
function perCheckoutCounts(before: Map<string, number>, after: Map<string, number>, done: number): string {
  return [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / Math.max(done, 1)] as const)
    .filter(([, v]) => v >= 0.05)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
}

export default async function checkoutBench() {
  const all: ChildProcess[] = [];
  const issuer = await startTestIssuer();
  let stack: Stack | undefined;
  try {
    stack = await startStack(all);
    const buyers = await seed(stack);
    const tokens = await Promise.all(buyers.map((b) => issuer.mint(b.id, { expiresIn: "1h" })));
    const [gatewayPort, barePort] = await Promise.all([freePort(), freePort()]);
    const gateway = startNode([self, "gateway"], {
      PORT: String(gatewayPort),
      ORDER_ADDR: stack.grpc.order,
      ISSUER: issuer.issuer,
      JWKS_URL: issuer.jwksUrl,
      AUDIENCE: issuer.audience,
    });
    all.push(gateway);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    await waitReady(`${gatewayUrl}/healthz`, gateway);

    const bodies = buyers.map((b) =>
      JSON.stringify({
        address_id: b.addressId,
        shipping: b.shipping,
        payment_method: "bank_transfer_va",
        payment_channel: "bca",
      }),
    );
    const post = async (i: number) => {
      const res = await fetch(`${gatewayUrl}/api/v1/checkout`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens[i]}`,
          "content-type": "application/json",
          "idempotency-key": randomUUID(),
        },
        body: bodies[i],
      });
      return { status: res.status, text: await res.text() };
    };
    // The first checkouts warm every process up (connections, JIT); a loaded machine may time out.
    let sample = await post(0);
    for (let i = 1; i < 30 && sample.status !== 201; i++) {
      await new Promise((r) => setTimeout(r, 2_000));
      sample = await post(i % buyers.length);
    }
    if (sample.status !== 201) throw new Error(`checkout failed: ${sample.status} ${sample.text}`);
    const bare = startNode([self, "bare"], { PORT: String(barePort), BODY: sample.text });
    all.push(bare);
    await waitReady(`http://127.0.0.1:${barePort}/`, bare);

    let n = 0;
    const checkoutRequests: AutocannonRequest[] = [
      {
        method: "POST",
        path: "/api/v1/checkout",
        setupRequest: (req) => {
          n += 1;
          const i = n % buyers.length;
          return {
            ...req,
            headers: {
              authorization: `Bearer ${tokens[i]}`,
              "content-type": "application/json",
              "idempotency-key": randomUUID(),
            },
            body: bodies[i],
          };
        },
      },
    ];
    const run = (url: string, requests: AutocannonRequest[], duration: number) =>
      autocannon({ url, connections: CONNECTIONS, duration, requests });
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const bareReq: AutocannonRequest[] = [{ method: "GET", path: "/" }];
    await run(bareUrl, bareReq, WARMUP_S);
    const bareBefore = await run(bareUrl, bareReq, DURATION_S);
    await run(gatewayUrl, checkoutRequests, WARMUP_S);
    const s = stack;
    const pids: Record<string, number | undefined> = {
      gateway: gateway.pid,
      ...Object.fromEntries(SERVICES.map((name) => [name, s.children[name].pid])),
    };
    const pg = await postgresPids(s);
    // What the stack spends with no request (timers, outbox relays, bus polling) is taken out of
    // the per-checkout figures, so a slow run does not charge each checkout more of it.
    await new Promise((r) => setTimeout(r, 1_000));
    const idleFrom = {
      cpu: cpuOf(pids),
      pg: cpuOfPids(pg),
      commits: await commits(s),
      at: performance.now(),
    };
    await new Promise((r) => setTimeout(r, IDLE_S * 1_000));
    const idleS = (performance.now() - idleFrom.at) / 1_000;
    const idleCpu = cpuOf(pids);
    const idlePg = cpuSince(idleFrom.pg);
    const idleCommits = await commits(s);
    const [callsBefore, commitsBefore] = [await grpcServed(s), await commits(s)];
    const cpuBefore = cpuOf(pids);
    const pgBefore = cpuOfPids(pg);
    const load1 = (await import("node:os")).loadavg()[0] ?? 0;
    const runFrom = performance.now();
    const checkouts: AutocannonResult = await run(gatewayUrl, checkoutRequests, DURATION_S);
    const cpuAfter = cpuOf(pids);
    const pgSeconds = cpuSince(pgBefore);
    const runS = (performance.now() - runFrom) / 1_000;
    const load2 = (await import("node:os")).loadavg()[0] ?? 0;
    const [callsAfter, commitsAfter] = [await grpcServed(s), await commits(s)];
    // The idle rate over the run's length, per process and per database.
    const idleShare = (from: number | undefined, to: number | undefined) =>
      (((to ?? 0) - (from ?? 0)) * runS) / idleS;
    for (const [db, n] of commitsBefore)
      commitsBefore.set(db, n + idleShare(idleFrom.commits.get(db), idleCommits.get(db)));
    const bareAfter = await run(bareUrl, bareReq, DURATION_S);
    // Per checkout means per answered checkout: a request that failed did only part of the work.
    const done = succeeded(checkouts);
    const floor = await measureFloor(s, all, {
      hops: Math.round(countPerCheckout(callsBefore, callsAfter, done, (k) => !k.startsWith("order."))),
      writes: Math.round(countPerCheckout(commitsBefore, commitsAfter, done, () => true)),
      answer: await checkoutAnswer(s, buyers[0]?.id ?? "", bodies[0] ?? ""),
      address: await addressAnswer(s, buyers[0]?.id ?? "", bodies[0] ?? ""),
      run: (url) => run(url, checkoutRequests, DURATION_S),
      issuer,
    });
    const perCheckout = (k: string) =>
      done > 0
        ? (
            (((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0) - idleShare(idleFrom.cpu[k], idleCpu[k])) * 1e6) /
            done
          ).toFixed(0)
        : "";
    const pgPerCheckout = done > 0 ? (((pgSeconds - (idlePg * runS) / idleS) * 1e6) / done).toFixed(0) : "";
    const bareMean = (bareBefore.requests.average + bareAfter.requests.average) / 2;
    const rate = checkouts.requests.average;
    const met = rate >= 150 && checkouts.latency.p99 <= 250 && checkouts.non2xx === 0;
    const row = (target: string, r: AutocannonResult, base?: number) => ({
      target,
      "req/s": Math.round(r.requests.average),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      "ratio to bare": base ? (r.requests.average / base).toFixed(4) : "",
      "non-2xx": r.non2xx,
      errors: r.errors + r.timeouts,
    });
    return {
      name: "Checkout (POST /api/v1/checkout → payment instructions) through the gateway and seven services",
      rows: [
        row("bare node:http", bareBefore),
        row("gateway POST /api/v1/checkout", checkouts, bareMean),
        row("bare node:http", bareAfter),
        row(`floor: ${floor.hops} empty gRPC hops + ${floor.writes} one-row inserts`, floor.result, bareMean),
      ],
      notes: [
        `${CONNECTIONS} connections, loopback, ${WARMUP_S} s warm-up + ${DURATION_S} s measured; ${BUYERS} buyers (one line each, ${SHOPS} shops), a new Idempotency-Key per request; VA payment (bca).`,
        `CPU µs per checkout (the idle rate taken out): ${Object.keys(pids)
          .map((k) => `${k} ${perCheckout(k)}`)
          .join(
            ", ",
          )}, PostgreSQL (every session) ${pgPerCheckout}; without the idle rate taken out: ${Object.keys(
          pids,
        )
          .map(
            (k) =>
              `${k} ${done > 0 ? ((((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)) * 1e6) / done).toFixed(0) : ""}`,
          )
          .join(", ")}, PostgreSQL ${done > 0 ? ((pgSeconds * 1e6) / done).toFixed(0) : ""}.`,
        `Answers by status: ${Object.entries(checkouts.statusCodeStats ?? {})
          .map(([code, { count }]) => `${code} ${count}`)
          .join(", ")}; errors ${checkouts.errors}, timeouts ${checkouts.timeouts}.`,
        `gRPC calls served per checkout: ${perCheckoutCounts(callsBefore, callsAfter, done)}.`,
        `PostgreSQL transactions committed per checkout, by database (the bus's outbox relay and consumers included; the idle rate taken out): ${perCheckoutCounts(commitsBefore, commitsAfter, done)}.`,
        `Floor: the same gateway route to an order process (the kit's server) whose Checkout makes, one after another, as many kit gRPC calls as the real checkout's services served per checkout (${floor.hops}) to a process answering at once, and as many one-row INSERTs (each its own transaction) as the real run committed per checkout (${floor.writes}), then answers a real checkout's response — no pricing, no saga. CPU µs per checkout: ${floor.cpu}. Real / floor checkouts/s: ${(rate / Math.max(floor.result.requests.average, 1)).toFixed(2)}.`,
        `Load average (1 min) at the start and end of the measured run: ${load1.toFixed(2)}, ${load2.toFixed(2)}.`,
        `Goal (≥ 150 checkouts/s, p99 ≤ 250 ms, no errors): ${met ? "met" : "NOT met"}.`,
      ],
    };
  } finally {
    for (const child of all.reverse()) await stopChild(child);
    await issuer.close();
    if (stack) await Promise.all(Object.values(stack.dbs).map((d) => d.drop()));
  }
}

/** The real gateway with the order routes, verifying tokens against the bench's issuer. */
async function serveGateway(): Promise<void> {
  const { ordersModule } = await import("../apps/gateway/src/routes/orders/index.ts");
  const { buildGateway } = await import("../apps/gateway/src/app.ts");
  const { loadGatewayConfig } = await import("../apps/gateway/src/config.ts");
  const config = loadGatewayConfig({
    LOG_LEVEL: "warn",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: process.env.PORT ?? "0",
    TOKO_INTERNAL_SECRET: SECRET,
    TOKO_JWT_ISSUER: process.env.ISSUER ?? "",
    TOKO_JWKS_URL: process.env.JWKS_URL ?? "",
    TOKO_JWT_AUDIENCE: process.env.AUDIENCE ?? "toko-api",
    TOKO_RATE_LIMIT: "1000000000",
  });
  config.services.order = process.env.ORDER_ADDR ?? "";
  const gateway = await buildGateway(config, { modules: [ordersModule] });
  await gateway.listen();
  process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}

const quietLogger = (service: string) =>
  createLogger({ service, level: "warn", destination: pino.destination({ dest: "/dev/null" }) });
const floorEnv = (name: string) =>
  loadConfig(name, z.object(serviceEnvShape), {
    TOKO_INTERNAL_SECRET: SECRET,
    GRPC_PORT: process.env.GRPC_PORT,
    OPS_PORT: process.env.OPS_PORT,
  });
/** Every method of `definition` refused, for the floor's processes that serve one method. */
const refuseAll = (definition: object) =>
  Object.fromEntries(
    Object.keys(definition).map((k) => [
      k,
      async (): Promise<never> => {
        throw errors.precondition("NOT_SERVED", "the floor serves one method");
      },
    ]),
  );

/** A floor process: the kit's server with `services`, quiet. */
async function serveFloor(name: string, services: Parameters<typeof startService>[0]["services"]) {
  await startService({ name, env: floorEnv(name), logger: quietLogger(name), services });
  process.once("SIGTERM", () => process.exit(0));
}

/** The floor's downstream: a kit service whose GetAddress answers at once (a real answer). */
async function serveFloorHop(): Promise<void> {
  const answer = GetAddressResponse.decode(Buffer.from(process.env.ANSWER ?? "", "base64"));
  await serveFloor("user", [
    implement<UserServiceServer>(UserServiceService, {
      ...refuseAll(UserServiceService),
      getAddress: async () => answer,
    } as never),
  ]);
}

/** The floor's order process: HOPS sequential calls and WRITES one-row INSERTs per Checkout. */
async function serveFloorOrder(): Promise<void> {
  const answer = CheckoutResponse.decode(Buffer.from(process.env.ANSWER ?? "", "base64"));
  const hops = Number(process.env.HOPS ?? 0);
  const writes = Number(process.env.WRITES ?? 0);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  await pool.query("CREATE TABLE IF NOT EXISTS floor (id bigserial PRIMARY KEY, body text NOT NULL)");
  const user = createClient(UserServiceClient, process.env.HOP_ADDR ?? "", {
    internalSecret: SECRET,
    deadlineMs: 10_000,
  });
  await serveFloor("order", [
    implement<OrderServiceServer>(OrderServiceService, {
      ...refuseAll(OrderServiceService),
      checkout: async (req: { idempotencyKey: string }) => {
        for (let i = 0; i < hops; i++) await user.getAddress({ addressId: req.idempotencyKey });
        for (let i = 0; i < writes; i++)
          await pool.query("INSERT INTO floor (body) VALUES ($1)", [req.idempotencyKey]);
        return answer;
      },
    } as never),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "gateway") await serveGateway();
  else if (process.argv[2] === "bare") serveBareJson();
  else if (process.argv[2] === "floor-hop") await serveFloorHop();
  else if (process.argv[2] === "floor-order") await serveFloorOrder();
}
