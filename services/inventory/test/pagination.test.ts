import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// Every list pages by keyset: walking all pages yields each row exactly once, in order, even
// when rows share a created_at (ties broken by id) or differ by microseconds only.
let h: Harness;
const warehouses: string[] = [];
const suppliers: string[] = [];
const orders: string[] = [];
const SKUS = ["BERAS-5K", "GULA-1K", "KOPI-250", "TEH-100"];

before(async () => {
  h = await startHarness();
  for (let i = 0; i < 7; i++) warehouses.push(await warehouse(h.alice, `Gudang ${i}`));
  for (const wh of warehouses) for (const sku of SKUS) await stockUp(h.alice, sku, wh, 1);
  for (let i = 0; i < 13; i++) {
    const s = await h.alice.createSupplier({
      name: `Supplier ${i}`,
      email: "",
      phone: "",
      contactName: "",
      leadTimeDays: 3,
      paymentTermsDays: 30,
    });
    suppliers.push(s.supplier?.id ?? "");
  }
  for (let i = 0; i < 13; i++) {
    const po = await h.alice.createPurchaseOrder({
      supplierId: suppliers[i % 2] ?? "",
      warehouseId: warehouses[0] ?? "",
      lines: [
        { sku: "KOPI-250", quantity: i + 1, unitCost: { amount: 1000, currency: "IDR" } },
        { sku: "TEH-100", quantity: 2, unitCost: { amount: 500, currency: "IDR" } },
      ],
    });
    orders.push(po.purchaseOrder?.id ?? "");
  }
  // Ties and sub-millisecond gaps: a JS Date would merge these; the cursors must not.
  for (const table of ["warehouses", "suppliers", "purchase_orders"])
    await h.db.pool.query(
      `UPDATE ${table} SET created_at = timestamptz '2024-05-01 10:00:00' + (row_number % 3) * interval '1 microsecond'
         FROM (SELECT id AS rid, row_number() OVER (ORDER BY id) FROM ${table}) n WHERE n.rid = ${table}.id`,
    );
  // Bob's rows must never show up in Alice's pages.
  const bobs = await warehouse(h.bob, "Gudang Bob");
  await stockUp(h.bob, "KOPI-250", bobs, 5);
});
after(() => h.stop());

/** Walks a list page by page; returns each page's keys. */
async function walk<T>(
  fetch: (page: { limit: number; cursor: string }) => Promise<{ items: T[]; next: string }>,
  limit: number,
  keyOf: (item: T) => string,
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor = "";
  do {
    const res = await fetch({ limit, cursor });
    pages.push(res.items.map(keyOf));
    cursor = res.next;
    assert.ok(pages.length < 50, "the cursor must advance");
  } while (cursor !== "");
  return pages;
}

const created = async (table: string, order: "ASC" | "DESC") =>
  (
    await h.db.pool.query(
      `SELECT id FROM ${table} WHERE shop_id = 'shop-a' ORDER BY created_at ${order}, id ${order}`,
    )
  ).rows.map((r) => r.id as string);

test("stock levels page by (sku, warehouse): nothing skipped or repeated", async () => {
  const pages = await walk(
    async (page) => {
      const r = await h.alice.listStockLevels({ sku: "", page });
      return { items: r.levels, next: r.page?.nextCursor ?? "" };
    },
    5,
    (l) => `${l.sku}/${l.warehouseId}`,
  );
  const expected = SKUS.flatMap((sku) => [...warehouses].sort().map((wh) => `${sku}/${wh}`));
  assert.equal(expected.length, 28);
  assert.deepEqual(pages.flat(), expected);
  assert.deepEqual(
    pages.map((p) => p.length),
    [5, 5, 5, 5, 5, 3],
  );
  // Filtered to one SKU, and the default page size (20) when no page is given.
  const one = await h.alice.listStockLevels({ sku: "TEH-100", page: { limit: 3, cursor: "" } });
  assert.equal(one.levels.length, 3);
  const rest = await h.alice.listStockLevels({
    sku: "TEH-100",
    page: { limit: 10, cursor: one.page?.nextCursor ?? "" },
  });
  assert.deepEqual(
    [...one.levels, ...rest.levels].map((l) => l.warehouseId),
    [...warehouses].sort(),
  );
  assert.equal(rest.page?.nextCursor, "");
  const first = await h.alice.listStockLevels({ sku: "" });
  assert.equal(first.levels.length, 20);
  assert.notEqual(first.page?.nextCursor, "");
});

test("warehouses and suppliers page by (created_at, id), ties included", async () => {
  const wh = await walk(
    async (page) => {
      const r = await h.alice.listWarehouses({ page });
      return { items: r.warehouses, next: r.page?.nextCursor ?? "" };
    },
    2,
    (w) => w.id,
  );
  assert.deepEqual(wh.flat(), await created("warehouses", "ASC"));
  assert.equal(wh.flat().length, 7);
  const sup = await walk(
    async (page) => {
      const r = await h.alice.listSuppliers({ page });
      return { items: r.suppliers, next: r.page?.nextCursor ?? "" };
    },
    4,
    (s) => s.id,
  );
  assert.deepEqual(sup.flat(), await created("suppliers", "ASC"));
  assert.deepEqual([...sup.flat()].sort(), [...suppliers].sort());
  assert.deepEqual(
    sup.map((p) => p.length),
    [4, 4, 4, 1],
  );
});

test("purchase orders page newest first with their lines; a supplier filter pages too", async () => {
  const seen = new Map<string, number[]>();
  const pages = await walk(
    async (page) => {
      const r = await h.alice.listPurchaseOrders({ supplierId: "", page });
      for (const po of r.purchaseOrders)
        seen.set(
          po.id,
          po.lines.map((l) => l.quantity),
        );
      return { items: r.purchaseOrders, next: r.page?.nextCursor ?? "" };
    },
    3,
    (po) => po.id,
  );
  assert.deepEqual(pages.flat(), await created("purchase_orders", "DESC"));
  assert.deepEqual([...pages.flat()].sort(), [...orders].sort());
  // Lines loaded for the whole page at once still belong to the right order (KOPI then TEH).
  for (const [i, id] of orders.entries()) assert.deepEqual(seen.get(id), [i + 1, 2]);
  const filtered = await walk(
    async (page) => {
      const r = await h.alice.listPurchaseOrders({ supplierId: suppliers[1] ?? "", page });
      return { items: r.purchaseOrders, next: r.page?.nextCursor ?? "" };
    },
    2,
    (po) => po.id,
  );
  assert.deepEqual([...filtered.flat()].sort(), orders.filter((_, i) => i % 2 === 1).sort());
  assert.deepEqual((await h.bob.listPurchaseOrders({ supplierId: "" })).purchaseOrders, []);
});

test("a bad cursor or limit is VALIDATION_FAILED", async () => {
  const levels = await h.alice.listStockLevels({ sku: "", page: { limit: 1, cursor: "" } });
  const levelCursor = levels.page?.nextCursor ?? "";
  assert.notEqual(levelCursor, "");
  for (const cursor of [
    "not a cursor!",
    "bm9wZQ",
    Buffer.from('["wh",1.5,"x"]').toString("base64url"),
    levelCursor,
  ])
    await rejectsWithCode(h.alice.listWarehouses({ page: { limit: 5, cursor } }), "VALIDATION_FAILED");
  await rejectsWithCode(h.alice.listSuppliers({ page: { limit: 101, cursor: "" } }), "VALIDATION_FAILED");
  await rejectsWithCode(
    h.alice.listPurchaseOrders({ supplierId: "", page: { limit: -1, cursor: "" } }),
    "VALIDATION_FAILED",
  );
  await rejectsWithCode(
    h.alice.listStockLevels({ sku: "", page: { limit: 5, cursor: "%%%" } }),
    "VALIDATION_FAILED",
  );
});
