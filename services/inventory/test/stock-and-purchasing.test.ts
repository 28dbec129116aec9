import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import {
  InventoryServiceClient,
  PurchaseOrderStatus,
  TransferStatus,
} from "@toko/contracts/toko/inventory/v1/inventory";
import { decodeEnvelope } from "@toko/kit";
import { rejectsWithCode, testPrincipal } from "@toko/testing";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

let h: Harness;
let main: string;
let second: string;
let bobs: string;

before(async () => {
  // A wide coalescing window so the burst below surely lands in few windows.
  h = await startHarness({ STOCK_EVENT_WINDOW_MS: "400" });
  main = await warehouse(h.alice, "Gudang Utama");
  second = await warehouse(h.alice, "Gudang Bekasi");
  bobs = await warehouse(h.bob, "Gudang Bob");
});
after(() => h.stop());
afterEach(() => assertLedgerBalances(h.db.pool));

const ledgerRows = async () =>
  (await h.db.pool.query("SELECT count(*)::int AS n FROM stock_ledger")).rows[0].n as number;

test("one default warehouse per shop; sellers see only their own", async () => {
  const list = await h.alice.listWarehouses({});
  assert.deepEqual(
    list.warehouses.map((w) => [w.id, w.isDefault]),
    [
      [main, true],
      [second, false],
    ],
  );
  assert.deepEqual(
    (await h.bob.listWarehouses({})).warehouses.map((w) => w.id),
    [bobs],
  );
  await rejectsWithCode(h.carol.listWarehouses({}), "FORBIDDEN");
  await rejectsWithCode(h.anonymous.listWarehouses({}), "UNAUTHENTICATED");
  await rejectsWithCode(
    h.alice.createWarehouse({ name: "", address: "", city: "x", province: "y", isDefault: false }),
    "VALIDATION_FAILED",
  );
});

test("a seller without the seller scope (an app they approved for less) reads and changes nothing", async () => {
  const unscoped = h.svc.client(InventoryServiceClient, {
    principal: testPrincipal("alice", ["buyer", "seller"], ["buyer"]),
  });
  const before = await ledgerRows();
  await rejectsWithCode(unscoped.listWarehouses({}), "FORBIDDEN");
  await rejectsWithCode(
    unscoped.adjustStock({ sku: "KOPI-250", warehouseId: main, delta: 5, reason: "x", isReturn: false }),
    "FORBIDDEN",
  );
  assert.equal(await ledgerRows(), before);
});

test("adjustments are audited; bad ones (another shop's warehouse, unknown SKU, below zero) change nothing", async () => {
  await stockUp(h.alice, "KOPI-250", main, 7);
  const { entries } = await h.alice.listLedger({ sku: "KOPI-250", limit: 10 });
  assert.equal(entries[0]?.reason, "adjustment");
  assert.equal(entries[0]?.actor, "alice");
  assert.equal(entries[0]?.note, "initial count");
  assert.equal(entries[0]?.onHandDelta, 7);
  const before = await ledgerRows();
  await rejectsWithCode(
    h.alice.adjustStock({ sku: "KOPI-250", warehouseId: bobs, delta: 1, reason: "x", isReturn: false }),
    "UNKNOWN_WAREHOUSE",
  );
  await rejectsWithCode(
    h.alice.adjustStock({ sku: "SABUN-1", warehouseId: main, delta: 1, reason: "x", isReturn: false }),
    "UNKNOWN_SKU",
  );
  // The catalog knows TEH-100; another spelling would become a second, unreservable level.
  await rejectsWithCode(
    h.alice.adjustStock({ sku: "teh-100", warehouseId: main, delta: 1, reason: "x", isReturn: false }),
    "UNKNOWN_SKU",
  );
  await rejectsWithCode(
    h.alice.adjustStock({ sku: "KOPI-250", warehouseId: main, delta: -8, reason: "x", isReturn: false }),
    "INSUFFICIENT_STOCK",
  );
  await rejectsWithCode(
    h.alice.adjustStock({ sku: "KOPI-250", warehouseId: main, delta: 0, reason: "", isReturn: false }),
    "VALIDATION_FAILED",
  );
  assert.equal(await ledgerRows(), before);
  // Reserved stock cannot be adjusted away.
  await h.checkout.reserve({
    checkoutId: "adj-hold",
    lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 5 }],
    ttlSeconds: 600,
  });
  await rejectsWithCode(
    h.alice.adjustStock({
      sku: "KOPI-250",
      warehouseId: main,
      delta: -3,
      reason: "damaged",
      isReturn: false,
    }),
    "INSUFFICIENT_STOCK",
  );
  await h.checkout.release({ checkoutId: "adj-hold" });
  const r = await h.alice.adjustStock({
    sku: "KOPI-250",
    warehouseId: main,
    delta: 2,
    reason: "customer return",
    isReturn: true,
  });
  assert.equal(r.level?.onHand, 9);
  assert.equal((await h.alice.listLedger({ sku: "KOPI-250", limit: 1 })).entries[0]?.reason, "return");
});

test("a transfer is in transit (in no warehouse) until received; receiving twice changes nothing", async () => {
  await stockUp(h.alice, "TEH-100", main, 10);
  const { transfer } = await h.alice.transferStock({
    sku: "TEH-100",
    fromWarehouseId: main,
    toWarehouseId: second,
    quantity: 4,
  });
  assert.equal(transfer?.status, TransferStatus.TRANSFER_STATUS_IN_TRANSIT);
  const inTransit = await h.alice.listStockLevels({ sku: "TEH-100" });
  assert.deepEqual(
    inTransit.levels.map((l) => [l.warehouseId, l.onHand]),
    [[main, 6]],
  );
  await h.alice.receiveTransfer({ transferId: transfer?.id ?? "" });
  await h.alice.receiveTransfer({ transferId: transfer?.id ?? "" });
  const levels = await h.alice.listStockLevels({ sku: "TEH-100" });
  assert.equal(levels.levels.find((l) => l.warehouseId === second)?.onHand, 4);
  assert.equal(
    levels.levels.reduce((s, l) => s + l.onHand, 0),
    10,
  );
  await rejectsWithCode(h.bob.receiveTransfer({ transferId: transfer?.id ?? "" }), "NOT_FOUND");
  await rejectsWithCode(
    h.alice.transferStock({ sku: "TEH-100", fromWarehouseId: main, toWarehouseId: bobs, quantity: 1 }),
    "UNKNOWN_WAREHOUSE",
  );
  await rejectsWithCode(
    h.alice.transferStock({ sku: "TEH-100", fromWarehouseId: main, toWarehouseId: second, quantity: 99 }),
    "INSUFFICIENT_STOCK",
  );
});

test("StockChanged is coalesced per SKU and LowStock fires once on crossing the reorder point", async () => {
  await stockUp(h.alice, "GULA-1K", main, 20);
  await h.alice.setReorderPoint({ sku: "GULA-1K", reorderPoint: 5 });
  await new Promise((r) => setTimeout(r, 900));
  const mark = (await h.db.pool.query("SELECT coalesce(max(id), 0)::bigint AS id FROM kit_outbox")).rows[0]
    .id;
  // A burst of 16 changes in one window...
  await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      h.checkout.reserve({
        checkoutId: `burst-${i}`,
        lines: [{ shopId: "shop-a", sku: "GULA-1K", quantity: 1 }],
        ttlSeconds: 600,
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 900));
  const { rows } = await h.db.pool.query("SELECT type, envelope FROM kit_outbox WHERE id > $1 ORDER BY id", [
    mark,
  ]);
  const changed = rows.filter((r) => r.type === "toko.inventory.v1.StockChanged");
  // ...publish far fewer events than changes, the last with the final quantities.
  assert.ok(changed.length >= 1 && changed.length < 16, `${changed.length} StockChanged for 16 changes`);
  const last = StockChanged.decode(decodeEnvelope(changed[changed.length - 1].envelope).payload);
  assert.deepEqual([last.sku, last.available, last.reserved, last.reorderPoint], ["GULA-1K", 4, 16, 5]);
  assert.equal(rows.filter((r) => r.type === "toko.inventory.v1.LowStock").length, 1);
  for (let i = 0; i < 16; i++) await h.checkout.release({ checkoutId: `burst-${i}` });
});

test("purchase order: draft → sent → partially received (with rejections) → received; scorecard by hand", async () => {
  const { supplier } = await h.alice.createSupplier({
    name: "PT Kopi Nusantara",
    email: "sales@kopi.example",
    phone: "+62 21 555 0100",
    contactName: "Budi",
    leadTimeDays: 5,
    paymentTermsDays: 30,
  });
  const supplierId = supplier?.id ?? "";
  const day = (n: number) => new Date(Date.UTC(2025, 0, n, 9));
  const create = () =>
    h.alice.createPurchaseOrder({
      supplierId,
      warehouseId: second,
      lines: [
        { sku: "KOPI-250", quantity: 10, unitCost: { amount: 45_000, currency: "IDR" } },
        { sku: "BERAS-5K", quantity: 4, unitCost: { amount: 70_000, currency: "IDR" } },
      ],
    });
  // PO 1: sent Jan 1 (expected Jan 6); Jan 3: 6 KOPI accepted + 2 rejected; Jan 5: the rest → on time.
  const po1 = (await create()).purchaseOrder;
  assert.equal(po1?.status, PurchaseOrderStatus.PURCHASE_ORDER_STATUS_DRAFT);
  assert.equal(po1?.totalCost?.amount, 730_000);
  await rejectsWithCode(
    h.alice.receivePurchaseOrder({
      id: po1?.id ?? "",
      lines: [{ sku: "KOPI-250", received: 1, rejected: 0 }],
    }),
    "INVALID_TRANSITION",
  );
  h.clock.pin(day(1));
  await h.alice.sendPurchaseOrder({ id: po1?.id ?? "" });
  const onHand = async () =>
    (await h.alice.listStockLevels({ sku: "KOPI-250" })).levels.find((l) => l.warehouseId === second)
      ?.onHand ?? 0;
  const start = await onHand();
  h.clock.pin(day(3));
  const partial = await h.alice.receivePurchaseOrder({
    id: po1?.id ?? "",
    lines: [{ sku: "KOPI-250", received: 6, rejected: 2 }],
  });
  assert.equal(partial.purchaseOrder?.status, PurchaseOrderStatus.PURCHASE_ORDER_STATUS_PARTIALLY_RECEIVED);
  assert.equal(await onHand(), start + 6);
  await rejectsWithCode(
    h.alice.receivePurchaseOrder({
      id: po1?.id ?? "",
      lines: [{ sku: "KOPI-250", received: 5, rejected: 0 }],
    }),
    "VALIDATION_FAILED",
  );
  await rejectsWithCode(
    h.bob.receivePurchaseOrder({ id: po1?.id ?? "", lines: [{ sku: "KOPI-250", received: 1, rejected: 0 }] }),
    "NOT_FOUND",
  );
  h.clock.pin(day(5));
  const done = await h.alice.receivePurchaseOrder({
    id: po1?.id ?? "",
    lines: [
      { sku: "KOPI-250", received: 4, rejected: 0 },
      { sku: "BERAS-5K", received: 4, rejected: 0 },
    ],
  });
  assert.equal(done.purchaseOrder?.status, PurchaseOrderStatus.PURCHASE_ORDER_STATUS_RECEIVED);
  assert.equal(await onHand(), start + 10);
  await h.alice.closePurchaseOrder({ id: po1?.id ?? "" });
  // PO 2: sent Jan 10 (expected Jan 15); Jan 18: 5 KOPI + 1 rejected, then closed short (late, 5 of 14).
  const po2 = (await create()).purchaseOrder;
  h.clock.pin(day(10));
  await h.alice.sendPurchaseOrder({ id: po2?.id ?? "" });
  h.clock.pin(day(18));
  await h.alice.receivePurchaseOrder({
    id: po2?.id ?? "",
    lines: [{ sku: "KOPI-250", received: 5, rejected: 1 }],
  });
  await h.alice.closePurchaseOrder({ id: po2?.id ?? "" });
  // PO 3: sent then cancelled — it says nothing about the supplier.
  const po3 = (await create()).purchaseOrder;
  await h.alice.sendPurchaseOrder({ id: po3?.id ?? "" });
  const cancelled = await h.alice.cancelPurchaseOrder({ id: po3?.id ?? "" });
  assert.equal(cancelled.purchaseOrder?.status, PurchaseOrderStatus.PURCHASE_ORDER_STATUS_CANCELLED);
  await rejectsWithCode(h.alice.sendPurchaseOrder({ id: po3?.id ?? "" }), "INVALID_TRANSITION");

  const { scorecard } = await h.alice.getSupplierScorecard({ supplierId });
  // By hand: finished = PO1 (on time, 14/14) and PO2 (late, 5/14).
  assert.equal(scorecard?.purchaseOrders, 2);
  assert.equal(scorecard?.onTimeRate, 1 / 2); // PO1 only
  assert.equal(scorecard?.fillRate, 19 / 28); // (14 + 5) / (14 + 14)
  assert.equal(scorecard?.averageLeadTimeDays, (4 + 8) / 2); // Jan 1→5, Jan 10→18
  assert.equal(scorecard?.rejectionRate, 3 / 22); // (2 + 1) / (16 + 6)
  await rejectsWithCode(h.bob.getSupplierScorecard({ supplierId }), "NOT_FOUND");
  const ledger = await h.alice.listLedger({ sku: "KOPI-250", limit: 50 });
  assert.equal(
    ledger.entries.filter((e) => e.reason === "receipt").reduce((s, e) => s + e.onHandDelta, 0),
    15,
  );
});
