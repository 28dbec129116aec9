import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createPool, databaseUrl } from "@toko/kit";
import { Api, type Json, type Sample, signIn } from "./client.ts";
import { type Action, activeUsers, MIX, pickAction, rng, thinkTime } from "./mix.ts";
import type { Stack } from "./stack.ts";
import { isError, percentile } from "./stats.ts";
import { Buyer, type Catalog, type Counters, remember, type Seller } from "./users.ts";

export interface LoadOptions {
  durationS: number;
  users: number;
  rampS: number;
  thinkMs: number;
  seed: number;
  /** Called every second with the progress line (the CLI prints it). */
  progress?: (line: string) => void;
  /** Called with the load's start time once the users begin (the chaos schedule starts from it). */
  onStart?: (start: number) => void;
}

export interface LoadResult {
  start: number;
  end: number;
  samples: Sample[];
  actions: Record<Action, number>;
  counters: Counters;
  notes: string[];
}

const DEMO_SELLER_ID = "0190d000-0000-7000-8000-00000000e001";

/** What the users buy and search for: listings, the demo seller's shop, its warehouse. */
async function prepareCatalog(api: Api, stack: Stack, seller: Seller): Promise<Catalog> {
  const catalog: Catalog = {
    products: [],
    sellerVariants: [],
    sellerSkus: [],
    sellerWarehouse: "",
    searchWords: [],
    categories: [],
  };
  let cursor = "";
  for (let page = 0; page < 5; page++) {
    const res = await api.call("GET /products", "GET", `/api/v1/products?limit=100${cursor}`);
    remember(catalog, res.body);
    if (typeof res.body.next_cursor !== "string") break;
    cursor = `&cursor=${encodeURIComponent(res.body.next_cursor)}`;
  }
  const categories = await api.call("GET /categories", "GET", "/api/v1/categories");
  const walk = (items: Json[]) => {
    for (const c of items) {
      const children = (c.children ?? []) as Json[];
      if (children.length === 0 && typeof c.id === "string") catalog.categories.push(c.id);
      walk(children);
    }
  };
  walk((categories.body.items ?? []) as Json[]);
  // Buyers' words: the first word of product titles, and a few misspelt ones for the typo path.
  const titles = (await api.call("GET /products", "GET", "/api/v1/products?limit=100")).body.items as
    | { title: string }[]
    | undefined;
  const words = new Set(
    (titles ?? []).map((t) => t.title.split(" ")[0]?.toLowerCase() ?? "").filter(Boolean),
  );
  catalog.searchWords = [
    ...words,
    "kopi",
    "sepatu lari",
    "headphone bluetooth",
    "kaos polos",
    "hedphone",
    "sepatuu",
  ];
  const product = stack.databases.get("product");
  if (product) {
    const pool = createPool({
      url: databaseUrl(stack.adminUrl, product),
      max: 1,
      applicationName: "toko-load",
    });
    try {
      const { rows } = await pool.query(
        `SELECT v.id, v.sku FROM variants v JOIN products p ON p.id = v.product_id JOIN shops s ON s.id = p.shop_id
          WHERE s.owner_id = $1 AND p.status = 'active' LIMIT 200`,
        [DEMO_SELLER_ID],
      );
      catalog.sellerVariants = rows.map((r) => r.id as string);
      catalog.sellerSkus = rows.map((r) => r.sku as string);
    } finally {
      await pool.end();
    }
  }
  const warehouses = await api.call("GET /seller/warehouses", "GET", "/api/v1/seller/warehouses", {
    token: seller.token,
  });
  catalog.sellerWarehouse = String(((warehouses.body.items ?? []) as { id: string }[])[0]?.id ?? "");
  return catalog;
}

/**
 * Runs the virtual users against a started stack: a linear ramp to `users`, each looping
 * action (by the mix) then think time, until the duration is over; in-flight actions finish.
 */
export async function runLoad(stack: Stack, o: LoadOptions): Promise<LoadResult> {
  const samples: Sample[] = [];
  const api = new Api(stack.origin, (s) => samples.push(s));
  const notes: string[] = [];
  const passwords = JSON.parse(readFileSync(join(stack.dataDir, "demo-accounts.json"), "utf8")) as {
    seller: string;
  };
  const seller: Seller = {
    token: await signIn(stack.origin, "seller@toko.local", passwords.seller, "openid buyer seller"),
  };
  // The demo seller's token is shared; renew it before it expires (access tokens live 10 minutes).
  const renew = setInterval(() => {
    signIn(stack.origin, "seller@toko.local", passwords.seller, "openid buyer seller").then(
      (t) => {
        seller.token = t;
      },
      () => {},
    );
  }, 300_000);
  const catalog = await prepareCatalog(api, stack, seller);
  samples.length = 0;
  const counters: Counters = {
    checkouts: 0,
    paid: 0,
    failedPayments: 0,
    cancelled: 0,
    outOfStock: 0,
    signInFailures: 0,
  };
  const actions = Object.fromEntries(MIX.map((m) => [m.action, 0])) as Record<Action, number>;
  const start = Date.now();
  o.onStart?.(start);
  const deadline = start + o.durationS * 1000;
  let running = 0;
  let failedSetups = 0;
  const user = async (index: number) => {
    const random = rng(o.seed * 1000 + index);
    const buyer = new Buyer(api, catalog, seller, counters, random);
    running++;
    try {
      if (!(await buyer.setup())) {
        failedSetups++;
        return;
      }
      while (Date.now() < deadline) {
        const action = pickAction(random());
        actions[action]++;
        await buyer.act(action);
        await sleep(Math.min(thinkTime(random(), o.thinkMs), Math.max(0, deadline - Date.now())));
      }
    } finally {
      running--;
    }
  };
  const progress = setInterval(() => {
    const now = Date.now();
    const recent = samples.filter((s) => s.at >= now - 5_000);
    const ms = recent.map((s) => s.ms).sort((a, b) => a - b);
    o.progress?.(
      `${Math.round((now - start) / 1000)}/${o.durationS} s  users ${running}  ${(recent.length / 5).toFixed(0)} req/s  p50 ${percentile(ms, 50).toFixed(0)} ms  p99 ${percentile(ms, 99).toFixed(0)} ms  errors ${samples.filter(isError).length}  checkouts ${counters.checkouts}`,
    );
  }, 1_000);
  const users: Promise<void>[] = [];
  try {
    for (let i = 0; i < o.users; i++) {
      // The ramp: user i starts when the ramp says i + 1 users should be active.
      while (activeUsers(Date.now() - start, o.users, o.rampS * 1000) <= i && Date.now() < deadline)
        await sleep(100);
      if (Date.now() >= deadline) break;
      users.push(user(i));
    }
    await Promise.all(users);
  } finally {
    clearInterval(progress);
    clearInterval(renew);
  }
  const end = Math.max(Date.now(), deadline);
  if (failedSetups > 0) notes.push(`${failedSetups} of ${o.users} users could not sign up or sign in`);
  notes.push(
    `checkouts ${counters.checkouts} (paid ${counters.paid}, declined ${counters.failedPayments}, cancelled ${counters.cancelled}); refused for stock or cart problems ${counters.outOfStock}`,
  );
  return { start, end, samples, actions, counters, notes };
}
