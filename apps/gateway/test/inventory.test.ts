import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
} from "@toko/testing";
import { catalogModule } from "../src/routes/catalog/index.ts";
import { inventoryModule } from "../src/routes/inventory/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { SELLER_CLAIMS, startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Seller center inventory through the real gateway over HTTP, to the real inventory process over
// gRPC and PostgreSQL, which asks the real product process who owns which shop and SKU.
const services = join(import.meta.dirname, "..", "..", "..", "services");
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let product: ServiceProcess;
let inventory: ServiceProcess;
let gateway: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const [productDb, inventoryDb] = dbs as [TestDatabase, TestDatabase];
  product = await startServiceProcess(join(services, "product"), {
    DATABASE_URL: productDb.url,
    EVENT_BUS: "none",
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    // No user service here: seller grants are retried by product's timer (its own tests cover it).
    TOKO_USER_ADDR: "127.0.0.1:9",
  });
  inventory = await startServiceProcess(join(services, "inventory"), {
    DATABASE_URL: inventoryDb.url,
    EVENT_BUS: "none",
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
  });
  gateway = await startGateway(
    issuer,
    { TOKO_PRODUCT_ADDR: product.grpcAddress, TOKO_INVENTORY_ADDR: inventory.grpcAddress },
    { modules: [catalogModule, inventoryModule] },
  );
});
after(async () => {
  await gateway?.close();
  await inventory?.stop();
  await product?.stop();
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

// Bodies are JSON read by the assertions; the routes' schemas are checked by the OpenAPI contract test.
type Reply = { status: number; type: string; replayed: boolean; body: ReturnType<typeof JSON.parse> };

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
  via: RunningGateway = gateway,
): Promise<Reply> {
  const res = await fetch(`${via.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    replayed: res.headers.get("idempotent-replayed") === "true",
    body: text ? JSON.parse(text) : null,
  };
}

/** Asserts a problem+json answer with this status (and code, when given). */
function problem(reply: Reply, status: number, code?: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.type, /application\/problem\+json/);
  if (code) assert.equal(reply.body.code, code, JSON.stringify(reply.body));
}

/** A seller with a shop and a draft product whose variants are `${prefix}-BIJI` and `${prefix}-HALUS`. */
async function seller(prefix: string) {
  const token = await issuer.mint(`user-${randomUUID()}`, SELLER_CLAIMS);
  const slug = `toko-${prefix.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const shop = await call("POST", "/api/v1/shops", token, {
    name: `Toko ${prefix}`,
    slug,
    city: "Bandung",
    province: "Jawa Barat",
  });
  assert.equal(shop.status, 201, JSON.stringify(shop.body));
  const categories = await call("GET", "/api/v1/categories");
  const leaf = (nodes: { id: string; children: unknown[] }[]): string => {
    const n = nodes[0];
    assert.ok(n, "the seeded category tree is not empty");
    return n.children.length > 0 ? leaf(n.children as never) : n.id;
  };
  const created = await call("POST", "/api/v1/products", token, {
    title: `Kopi ${prefix} 250 gr`,
    description: "Biji kopi sangrai",
    category_id: leaf(categories.body.items),
    condition: "new",
    weight_grams: 300,
    variants: [
      { sku: `${prefix}-BIJI`, options: { Gilingan: "Biji" }, price: 85_000 },
      { sku: `${prefix}-HALUS`, options: { Gilingan: "Halus" }, price: 87_000 },
    ],
    status: "draft",
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { token, product: created.body };
}

const levelsOf = async (token: string, sku: string) => {
  const res = await call("GET", `/api/v1/seller/stock?sku=${encodeURIComponent(sku)}`, token);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as {
    warehouse_id: string;
    on_hand: number;
    reserved: number;
    available: number;
    reorder_point: number;
  }[];
};

test("warehouses, adjustments, transfers and reorder points; bad input changes nothing", async () => {
  const a = await seller("GAYO");
  // A product just created is a draft: its SKUs are still the shop's and can be stocked.
  assert.equal(a.product.status, "draft");

  problem(await call("GET", "/api/v1/seller/warehouses"), 401);
  const buyer = await issuer.mint(`user-${randomUUID()}`);
  problem(await call("GET", "/api/v1/seller/warehouses", buyer), 403);
  // The role without the scope (an app the seller approved for less) is refused at the edge.
  const unscoped = await issuer.mint(`user-${randomUUID()}`, {
    roles: ["buyer", "seller"],
    scope: "openid buyer",
  });
  problem(await call("GET", "/api/v1/seller/warehouses", unscoped), 403, "FORBIDDEN");
  const noShop = await issuer.mint(`user-${randomUUID()}`, SELLER_CLAIMS);
  problem(await call("GET", "/api/v1/seller/warehouses", noShop), 403, "NO_SHOP");

  const address = { address: "Jl. Asia Afrika 8", city: "Bandung", province: "Jawa Barat" };
  const main = await call("POST", "/api/v1/seller/warehouses", a.token, { name: "Utama", ...address });
  assert.equal(main.status, 201, JSON.stringify(main.body));
  assert.equal(main.body.is_default, true, "the first warehouse is the default");
  const second = await call("POST", "/api/v1/seller/warehouses", a.token, { name: "Cimahi", ...address });
  assert.equal(second.status, 201);
  assert.equal(second.body.is_default, false);
  const list = await call("GET", "/api/v1/seller/warehouses", a.token);
  assert.deepEqual(
    list.body.items.map((w: { id: string }) => w.id),
    [main.body.id, second.body.id],
  );

  const adjusted = await call("POST", "/api/v1/seller/stock/adjustments", a.token, {
    sku: "GAYO-BIJI",
    warehouse_id: main.body.id,
    delta: 10,
    reason: "initial count",
  });
  assert.equal(adjusted.status, 201, JSON.stringify(adjusted.body));
  assert.deepEqual(
    { on_hand: adjusted.body.on_hand, reserved: adjusted.body.reserved, available: adjusted.body.available },
    { on_hand: 10, reserved: 0, available: 10 },
  );

  const before = await levelsOf(a.token, "GAYO-BIJI");
  const bad: [unknown, number, string?][] = [
    [{ sku: "GAYO-BIJI", warehouse_id: main.body.id, delta: 0, reason: "x" }, 422, "VALIDATION_FAILED"],
    [{ sku: "GAYO-BIJI", warehouse_id: main.body.id, delta: 1.5, reason: "x" }, 422, "VALIDATION_FAILED"],
    [
      { sku: "GAYO-BIJI", warehouse_id: main.body.id, delta: 1, reason: "x", extra: true },
      422,
      "VALIDATION_FAILED",
    ],
    [{ sku: "GAYO-BIJI", delta: 1, reason: "x" }, 422, "VALIDATION_FAILED"],
    [{ sku: "NOT-OURS", warehouse_id: main.body.id, delta: 1, reason: "x" }, 404, "UNKNOWN_SKU"],
    [
      { sku: "GAYO-BIJI", warehouse_id: "no-such-warehouse", delta: 1, reason: "x" },
      404,
      "UNKNOWN_WAREHOUSE",
    ],
    [{ sku: "GAYO-BIJI", warehouse_id: main.body.id, delta: -11, reason: "x" }, 409, "INSUFFICIENT_STOCK"],
  ];
  for (const [body, status, code] of bad)
    problem(await call("POST", "/api/v1/seller/stock/adjustments", a.token, body), status, code);
  assert.deepEqual(await levelsOf(a.token, "GAYO-BIJI"), before);

  const transfer = await call("POST", "/api/v1/seller/stock/transfers", a.token, {
    sku: "GAYO-BIJI",
    from_warehouse_id: main.body.id,
    to_warehouse_id: second.body.id,
    quantity: 4,
  });
  assert.equal(transfer.status, 201, JSON.stringify(transfer.body));
  assert.equal(transfer.body.status, "in_transit");
  // In transit: gone from the source, not yet in the destination.
  const inTransit = await levelsOf(a.token, "GAYO-BIJI");
  assert.equal(inTransit.find((l) => l.warehouse_id === main.body.id)?.on_hand, 6);
  assert.equal(inTransit.find((l) => l.warehouse_id === second.body.id)?.on_hand ?? 0, 0);
  problem(
    await call("POST", "/api/v1/seller/stock/transfers", a.token, {
      sku: "GAYO-BIJI",
      from_warehouse_id: main.body.id,
      to_warehouse_id: second.body.id,
      quantity: 7,
    }),
    409,
  );
  problem(
    await call("POST", "/api/v1/seller/stock/transfers", a.token, {
      sku: "GAYO-BIJI",
      from_warehouse_id: main.body.id,
      to_warehouse_id: second.body.id,
      quantity: -1,
    }),
    422,
    "VALIDATION_FAILED",
  );
  const path = `/api/v1/seller/stock/transfers/${transfer.body.id}/receive`;
  const received = await call("POST", path, a.token);
  assert.equal(received.status, 200, JSON.stringify(received.body));
  assert.equal(received.body.status, "received");
  assert.equal((await call("POST", path, a.token)).status, 200, "receiving twice is a no-op");
  const afterTransfer = await levelsOf(a.token, "GAYO-BIJI");
  assert.equal(afterTransfer.find((l) => l.warehouse_id === second.body.id)?.on_hand, 4);
  assert.equal(
    afterTransfer.reduce((s, l) => s + l.on_hand, 0),
    10,
  );

  const reorder = await call("PUT", "/api/v1/seller/stock/reorder-points", a.token, {
    sku: "GAYO-BIJI",
    reorder_point: 3,
  });
  assert.equal(reorder.status, 200, JSON.stringify(reorder.body));
  assert.deepEqual(reorder.body, { sku: "GAYO-BIJI", reorder_point: 3 });
  assert.ok((await levelsOf(a.token, "GAYO-BIJI")).every((l) => l.reorder_point === 3));
  problem(
    await call("PUT", "/api/v1/seller/stock/reorder-points", a.token, {
      sku: "GAYO-BIJI",
      reorder_point: -1,
    }),
    422,
    "VALIDATION_FAILED",
  );

  // Another seller sees none of it and cannot touch it.
  const b = await seller("TORAJA");
  assert.deepEqual((await call("GET", "/api/v1/seller/warehouses", b.token)).body.items, []);
  assert.deepEqual(await levelsOf(b.token, "GAYO-BIJI"), []);
  problem(
    await call("POST", "/api/v1/seller/stock/adjustments", b.token, {
      sku: "TORAJA-BIJI",
      warehouse_id: main.body.id,
      delta: 5,
      reason: "x",
    }),
    404,
    "UNKNOWN_WAREHOUSE",
  );
  problem(await call("POST", path, b.token), 404);
  assert.equal(
    (await levelsOf(a.token, "GAYO-BIJI")).reduce((s, l) => s + l.on_hand, 0),
    10,
  );
});

test("suppliers and purchase orders with partial receipts and rejections; the scorecard by hand", async () => {
  const a = await seller("KINTAMANI");
  const wh = await call("POST", "/api/v1/seller/warehouses", a.token, {
    name: "Gudang Denpasar",
    address: "Jl. Teuku Umar 1",
    city: "Denpasar",
    province: "Bali",
  });
  assert.equal(wh.status, 201);
  const supplier = await call("POST", "/api/v1/seller/suppliers", a.token, {
    name: "Koperasi Kintamani",
    email: "order@kintamani.example",
    contact_name: "Made",
    lead_time_days: 3,
    payment_terms_days: 30,
  });
  assert.equal(supplier.status, 201, JSON.stringify(supplier.body));
  assert.equal(supplier.body.lead_time_days, 3);
  problem(
    await call("POST", "/api/v1/seller/suppliers", a.token, { name: "No lead time" }),
    422,
    "VALIDATION_FAILED",
  );
  const suppliers = await call("GET", "/api/v1/seller/suppliers", a.token);
  assert.deepEqual(
    suppliers.body.items.map((s: { id: string }) => s.id),
    [supplier.body.id],
  );

  const order = (lines: { sku: string; quantity: number }[]) =>
    call("POST", "/api/v1/seller/purchase-orders", a.token, {
      supplier_id: supplier.body.id,
      warehouse_id: wh.body.id,
      lines: lines.map((l) => ({ ...l, unit_cost: { amount: 50_000, currency: "IDR" } })),
    });
  const noChange = await levelsOf(a.token, "KINTAMANI-BIJI");
  problem(await order([{ sku: "NOT-OURS", quantity: 1 }]), 404, "UNKNOWN_SKU");
  problem(await order([{ sku: "KINTAMANI-BIJI", quantity: 0 }]), 422, "VALIDATION_FAILED");
  problem(await order([]), 422, "VALIDATION_FAILED");

  const po1 = await order([
    { sku: "KINTAMANI-BIJI", quantity: 10 },
    { sku: "KINTAMANI-HALUS", quantity: 5 },
  ]);
  assert.equal(po1.status, 201, JSON.stringify(po1.body));
  assert.equal(po1.body.status, "draft");
  assert.deepEqual(po1.body.total_cost, { amount: 750_000, currency: "IDR" });
  const po = (id: string, action = "") => `/api/v1/seller/purchase-orders/${id}${action ? `/${action}` : ""}`;
  // Nothing can be received before the order is sent.
  problem(
    await call("POST", po(po1.body.id, "receive"), a.token, {
      lines: [{ sku: "KINTAMANI-BIJI", received: 1 }],
    }),
    409,
    "INVALID_TRANSITION",
  );
  assert.equal((await call("POST", po(po1.body.id, "send"), a.token)).body.status, "sent");

  const partial = await call("POST", po(po1.body.id, "receive"), a.token, {
    lines: [{ sku: "KINTAMANI-BIJI", received: 6, rejected: 1 }],
  });
  assert.equal(partial.status, 200, JSON.stringify(partial.body));
  assert.equal(partial.body.status, "partially_received");
  const biji = partial.body.lines.find((l: { sku: string }) => l.sku === "KINTAMANI-BIJI");
  assert.deepEqual([biji.received, biji.rejected], [6, 1]);
  // Accepted units are stock; rejected ones are not.
  assert.equal((await levelsOf(a.token, "KINTAMANI-BIJI"))[0]?.on_hand, 6);
  assert.deepEqual(noChange, []);

  // More than is outstanding (10 ordered, 6 accepted) is refused and changes nothing.
  const over = await call("POST", po(po1.body.id, "receive"), a.token, {
    lines: [{ sku: "KINTAMANI-BIJI", received: 5 }],
  });
  problem(over, 422, "VALIDATION_FAILED");
  assert.equal(over.body.errors[0]?.field, "lines[0].received");
  problem(
    await call("POST", po(po1.body.id, "receive"), a.token, {
      lines: [{ sku: "KINTAMANI-BIJI", received: -1 }],
    }),
    422,
    "VALIDATION_FAILED",
  );
  assert.equal((await levelsOf(a.token, "KINTAMANI-BIJI"))[0]?.on_hand, 6);

  const rest = await call("POST", po(po1.body.id, "receive"), a.token, {
    lines: [
      { sku: "KINTAMANI-BIJI", received: 4 },
      { sku: "KINTAMANI-HALUS", received: 5 },
    ],
  });
  assert.equal(rest.body.status, "received", JSON.stringify(rest.body));
  assert.equal((await call("POST", po(po1.body.id, "close"), a.token)).body.status, "closed");
  assert.equal((await levelsOf(a.token, "KINTAMANI-BIJI"))[0]?.on_hand, 10);
  assert.equal((await levelsOf(a.token, "KINTAMANI-HALUS"))[0]?.on_hand, 5);

  // A second order closed short: 4 ordered, 2 accepted, 2 rejected.
  const po2 = await order([{ sku: "KINTAMANI-HALUS", quantity: 4 }]);
  await call("POST", po(po2.body.id, "send"), a.token);
  await call("POST", po(po2.body.id, "receive"), a.token, {
    lines: [{ sku: "KINTAMANI-HALUS", received: 2, rejected: 2 }],
  });
  assert.equal((await call("POST", po(po2.body.id, "close"), a.token)).body.status, "closed");
  // A cancelled draft says nothing about the supplier.
  const po3 = await order([{ sku: "KINTAMANI-BIJI", quantity: 99 }]);
  assert.equal((await call("POST", po(po3.body.id, "cancel"), a.token)).body.status, "cancelled");
  problem(await call("POST", po(po3.body.id, "send"), a.token), 409, "INVALID_TRANSITION");

  const listed = await call("GET", `/api/v1/seller/purchase-orders?supplier_id=${supplier.body.id}`, a.token);
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.items.map((o: { id: string }) => o.id).sort(),
    [po1.body.id, po2.body.id, po3.body.id].sort(),
  );

  const card = await call("GET", `/api/v1/seller/suppliers/${supplier.body.id}/scorecard`, a.token);
  assert.equal(card.status, 200, JSON.stringify(card.body));
  // By hand, over the two sent orders: po1 complete and early (on time), po2 short (not);
  // fill (15 + 2) / (15 + 4); rejected 3 of 20 delivered; delivered seconds after sending.
  assert.equal(card.body.purchase_orders, 2);
  assert.equal(card.body.on_time_rate, 0.5);
  assert.ok(Math.abs(card.body.fill_rate - 17 / 19) < 1e-9, String(card.body.fill_rate));
  assert.ok(Math.abs(card.body.rejection_rate - 3 / 20) < 1e-9, String(card.body.rejection_rate));
  assert.ok(card.body.average_lead_time_days >= 0 && card.body.average_lead_time_days < 0.01);

  // Another seller: every one of these is somebody else's → 404, and nothing changed.
  const b = await seller("BAJAWA");
  problem(await call("GET", po(po1.body.id), b.token), 404);
  problem(await call("POST", po(po2.body.id, "cancel"), b.token), 404);
  problem(
    await call("POST", po(po1.body.id, "receive"), b.token, {
      lines: [{ sku: "KINTAMANI-BIJI", received: 1 }],
    }),
    404,
  );
  problem(await call("GET", `/api/v1/seller/suppliers/${supplier.body.id}/scorecard`, b.token), 404);
  assert.deepEqual((await call("GET", "/api/v1/seller/suppliers", b.token)).body.items, []);
  assert.deepEqual((await call("GET", "/api/v1/seller/purchase-orders", b.token)).body.items, []);
  problem(
    await call("POST", "/api/v1/seller/purchase-orders", b.token, {
      supplier_id: supplier.body.id,
      warehouse_id: wh.body.id,
      lines: [{ sku: "BAJAWA-BIJI", quantity: 1, unit_cost: { amount: 1, currency: "IDR" } }],
    }),
    404,
  );
  assert.equal((await call("GET", po(po2.body.id), a.token)).body.status, "closed");
  assert.equal((await levelsOf(a.token, "KINTAMANI-BIJI"))[0]?.on_hand, 10);
});

test("the four seller lists page with limit/cursor: nothing skipped or repeated; a bad cursor is a 4xx", async () => {
  const a = await seller("TORAJA");
  const post = async (path: string, body: unknown) => {
    const res = await call("POST", path, a.token, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const warehouses: string[] = [];
  for (let i = 0; i < 3; i++)
    warehouses.push(
      await post("/api/v1/seller/warehouses", {
        name: `G${i}`,
        address: "Jl. 1",
        city: "Makale",
        province: "Sulsel",
      }),
    );
  for (const wh of warehouses)
    for (const sku of ["TORAJA-BIJI", "TORAJA-HALUS"]) {
      const res = await call("POST", "/api/v1/seller/stock/adjustments", a.token, {
        sku,
        warehouse_id: wh,
        delta: 1,
        reason: "count",
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  const suppliers: string[] = [];
  for (let i = 0; i < 3; i++)
    suppliers.push(
      await post("/api/v1/seller/suppliers", { name: `S${i}`, lead_time_days: 1, payment_terms_days: 0 }),
    );
  const orders: string[] = [];
  for (let i = 0; i < 3; i++)
    orders.push(
      await post("/api/v1/seller/purchase-orders", {
        supplier_id: suppliers[0],
        warehouse_id: warehouses[0],
        lines: [{ sku: "TORAJA-BIJI", quantity: i + 1, unit_cost: { amount: 1000, currency: "IDR" } }],
      }),
    );
  const walk = async (path: string, key: (item: Record<string, unknown>) => string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const q: string = `${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await call("GET", `${path}${q}`, a.token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map(key));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    assert.equal(cursor, null);
    return seen;
  };
  const levels = await walk("/api/v1/seller/stock", (l) => `${l.sku}/${l.warehouse_id}`);
  assert.deepEqual(
    levels,
    ["TORAJA-BIJI", "TORAJA-HALUS"].flatMap((sku) => [...warehouses].sort().map((wh) => `${sku}/${wh}`)),
  );
  assert.deepEqual(
    [...(await walk("/api/v1/seller/warehouses", (w) => w.id as string))].sort(),
    [...warehouses].sort(),
  );
  assert.deepEqual(
    [...(await walk("/api/v1/seller/suppliers", (s) => s.id as string))].sort(),
    [...suppliers].sort(),
  );
  const pos = await walk(
    `/api/v1/seller/purchase-orders?supplier_id=${suppliers[0]}`,
    (po) => po.id as string,
  );
  assert.deepEqual([...pos].sort(), [...orders].sort());
  assert.equal(new Set(pos).size, 3);

  const bad = await call("GET", "/api/v1/seller/suppliers?cursor=bm9wZQ", a.token);
  assert.ok(bad.status >= 400 && bad.status < 500, `${bad.status}`);
  assert.equal(bad.body.code, "VALIDATION_FAILED");
  problem(await call("GET", "/api/v1/seller/stock?limit=101", a.token), 422, "VALIDATION_FAILED");
});

test("Idempotency-Key: a retried adjustment, transfer or receipt changes stock once, even past the gateway", async () => {
  const a = await seller("LINTONG");
  const address = { address: "Jl. Sisingamangaraja 1", city: "Medan", province: "Sumatera Utara" };
  const main = (await call("POST", "/api/v1/seller/warehouses", a.token, { name: "Utama", ...address })).body;
  const other = (await call("POST", "/api/v1/seller/warehouses", a.token, { name: "Siantar", ...address }))
    .body;
  const total = async () => (await levelsOf(a.token, "LINTONG-BIJI")).reduce((s, l) => s + l.on_hand, 0);
  // A second gateway replica on the same services: it has none of the first one's stored keys.
  const replica = await startGateway(
    issuer,
    { TOKO_PRODUCT_ADDR: product.grpcAddress, TOKO_INVENTORY_ADDR: inventory.grpcAddress },
    { modules: [catalogModule, inventoryModule] },
  );
  try {
    const key = { "idempotency-key": `adj-${randomUUID()}` };
    const adjustment = { sku: "LINTONG-BIJI", warehouse_id: main.id, delta: 12, reason: "initial count" };
    const first = await call("POST", "/api/v1/seller/stock/adjustments", a.token, adjustment, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const again = await call("POST", "/api/v1/seller/stock/adjustments", a.token, adjustment, key);
    assert.deepEqual([again.status, again.replayed, again.body], [201, true, first.body]);
    const elsewhere = await call(
      "POST",
      "/api/v1/seller/stock/adjustments",
      a.token,
      adjustment,
      key,
      replica,
    );
    assert.deepEqual([elsewhere.status, elsewhere.replayed, elsewhere.body], [201, false, first.body]);
    assert.equal(await total(), 12);
    const changed = { ...adjustment, delta: 13 };
    problem(
      await call("POST", "/api/v1/seller/stock/adjustments", a.token, changed, key),
      422,
      "IDEMPOTENCY_KEY_REUSED",
    );
    problem(
      await call("POST", "/api/v1/seller/stock/adjustments", a.token, changed, key, replica),
      422,
      "IDEMPOTENCY_KEY_REUSED",
    );
    assert.equal(await total(), 12);

    const move = { sku: "LINTONG-BIJI", from_warehouse_id: main.id, to_warehouse_id: other.id, quantity: 5 };
    const tkey = { "idempotency-key": `tr-${randomUUID()}` };
    const sent = await call("POST", "/api/v1/seller/stock/transfers", a.token, move, tkey);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const resent = await call("POST", "/api/v1/seller/stock/transfers", a.token, move, tkey, replica);
    assert.deepEqual([resent.status, resent.body], [201, sent.body]);
    assert.equal(await total(), 7, "one transfer in transit");

    const supplier = await call("POST", "/api/v1/seller/suppliers", a.token, {
      name: "Tani Lintong",
      lead_time_days: 2,
    });
    const po = await call("POST", "/api/v1/seller/purchase-orders", a.token, {
      supplier_id: supplier.body.id,
      warehouse_id: main.id,
      lines: [{ sku: "LINTONG-BIJI", quantity: 10, unit_cost: { amount: 60_000, currency: "IDR" } }],
    });
    await call("POST", `/api/v1/seller/purchase-orders/${po.body.id}/send`, a.token);
    const receipt = { lines: [{ sku: "LINTONG-BIJI", received: 4 }] };
    const rkey = { "idempotency-key": `rcv-${randomUUID()}` };
    const path = `/api/v1/seller/purchase-orders/${po.body.id}/receive`;
    const booked = await call("POST", path, a.token, receipt, rkey);
    assert.equal(booked.status, 200, JSON.stringify(booked.body));
    const rebooked = await call("POST", path, a.token, receipt, rkey, replica);
    assert.deepEqual([rebooked.status, rebooked.body], [200, booked.body]);
    assert.equal(await total(), 11, "the delivery is booked once");
    problem(
      await call("POST", path, a.token, { lines: [{ sku: "LINTONG-BIJI", received: 5 }] }, rkey, replica),
      422,
      "IDEMPOTENCY_KEY_REUSED",
    );
    assert.equal(await total(), 11);
  } finally {
    await replica.close();
  }
});
