import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// A retried write that reaches the service again (another gateway replica, a gateway restart,
// a client retrying over gRPC) carries the same idempotency key: it must change stock once.
let h: Harness;
let main: string;
let second: string;

before(async () => {
  h = await startHarness();
  main = await warehouse(h.alice, "Gudang Utama");
  second = await warehouse(h.alice, "Gudang Bekasi");
  await stockUp(h.alice, "KOPI-250", main, 100);
});
after(() => h.stop());
afterEach(() => assertLedgerBalances(h.db.pool));

const ledgerRows = async (sku: string) =>
  (await h.db.pool.query("SELECT count(*)::int AS n FROM stock_ledger WHERE sku = $1", [sku])).rows[0]
    .n as number;

test("an adjustment retried with its key changes stock once and answers the same", async () => {
  const before = await ledgerRows("TEH-100");
  const request = {
    sku: "TEH-100",
    warehouseId: main,
    delta: 7,
    reason: "stock count",
    isReturn: false,
    idempotencyKey: "adj-1",
  };
  const first = await h.alice.adjustStock(request);
  // A later change in between: the replay still answers the first response.
  await stockUp(h.alice, "TEH-100", main, 1);
  const retry = await h.alice.adjustStock(request);
  assert.deepEqual(retry, first);
  assert.equal(first.level?.onHand, 7);
  assert.equal(await ledgerRows("TEH-100"), before + 2);
  const [level] = (await h.alice.listStockLevels({ sku: "TEH-100" })).levels;
  assert.equal(level?.onHand, 8);
});

test("concurrent duplicates of one keyed adjustment change stock once", async () => {
  const before = await ledgerRows("GULA-1K");
  const request = {
    sku: "GULA-1K",
    warehouseId: main,
    delta: 5,
    reason: "delivery",
    isReturn: false,
    idempotencyKey: "adj-race",
  };
  const answers = await Promise.all(Array.from({ length: 8 }, () => h.alice.adjustStock(request)));
  for (const a of answers) assert.deepEqual(a, answers[0]);
  assert.equal(await ledgerRows("GULA-1K"), before + 1);
});

test("the same key with another request is IDEMPOTENCY_KEY_REUSED and changes nothing", async () => {
  const request = {
    sku: "BERAS-5K",
    warehouseId: main,
    delta: 3,
    reason: "count",
    isReturn: false,
    idempotencyKey: "adj-reuse",
  };
  await h.alice.adjustStock(request);
  const before = await ledgerRows("BERAS-5K");
  await rejectsWithCode(h.alice.adjustStock({ ...request, delta: 4 }), "IDEMPOTENCY_KEY_REUSED");
  assert.equal(await ledgerRows("BERAS-5K"), before);
  await rejectsWithCode(
    h.alice.adjustStock({ ...request, idempotencyKey: "not ascii ☕" }),
    "VALIDATION_FAILED",
  );
  assert.equal(await ledgerRows("BERAS-5K"), before);
  // Keys are per operation: the same key on a transfer is a transfer of its own.
  const moved = await h.alice.transferStock({
    sku: "BERAS-5K",
    fromWarehouseId: main,
    toWarehouseId: second,
    quantity: 1,
    idempotencyKey: "adj-reuse",
  });
  assert.equal(moved.transfer?.quantity, 1);
});

test("keys are per shop: another seller's identical key is their own", async () => {
  const bobs = await warehouse(h.bob, "Gudang Bob");
  const mine = await h.alice.adjustStock({
    sku: "KOPI-250",
    warehouseId: main,
    delta: 1,
    reason: "count",
    isReturn: false,
    idempotencyKey: "shared-key",
  });
  const theirs = await h.bob.adjustStock({
    sku: "KOPI-250",
    warehouseId: bobs,
    delta: 2,
    reason: "count",
    isReturn: false,
    idempotencyKey: "shared-key",
  });
  assert.equal(mine.level?.warehouseId, main);
  assert.deepEqual([theirs.level?.warehouseId, theirs.level?.onHand], [bobs, 2]);
});

test("a transfer retried with its key moves stock once and answers the same transfer", async () => {
  const request = {
    sku: "KOPI-250",
    fromWarehouseId: main,
    toWarehouseId: second,
    quantity: 10,
    idempotencyKey: "tr-1",
  };
  const onHand = async () => (await h.alice.listStockLevels({ sku: "KOPI-250" })).levels[0]?.onHand;
  const before = await onHand();
  const first = await h.alice.transferStock(request);
  const retry = await h.alice.transferStock(request);
  assert.deepEqual(retry, first);
  assert.equal(await onHand(), Number(before) - 10);
  const transfers = await h.db.pool.query("SELECT count(*)::int AS n FROM transfers WHERE sku = 'KOPI-250'");
  assert.equal(transfers.rows[0].n, 1);
  await rejectsWithCode(h.alice.transferStock({ ...request, quantity: 11 }), "IDEMPOTENCY_KEY_REUSED");
});

test("a purchase-order receipt retried with its key books the delivery once", async () => {
  const { supplier } = await h.alice.createSupplier({
    name: "PT Teh",
    email: "",
    phone: "",
    contactName: "",
    leadTimeDays: 2,
    paymentTermsDays: 0,
  });
  assert.ok(supplier);
  const { purchaseOrder: draft } = await h.alice.createPurchaseOrder({
    supplierId: supplier.id,
    warehouseId: second,
    lines: [{ sku: "TEH-100", quantity: 10, unitCost: { amount: 5_000, currency: "IDR" } }],
  });
  assert.ok(draft);
  await h.alice.sendPurchaseOrder({ id: draft.id });
  const receipt = {
    id: draft.id,
    lines: [{ sku: "TEH-100", received: 4, rejected: 1 }],
    idempotencyKey: "rcv-1",
  };
  const first = await h.alice.receivePurchaseOrder(receipt);
  const retry = await h.alice.receivePurchaseOrder(receipt);
  assert.deepEqual(retry, first);
  assert.deepEqual(
    first.purchaseOrder?.lines.map((l) => [l.received, l.rejected]),
    [[4, 1]],
  );
  const current = await h.alice.getPurchaseOrder({ id: draft.id });
  assert.deepEqual(
    current.purchaseOrder?.lines.map((l) => [l.received, l.rejected]),
    [[4, 1]],
  );
  await rejectsWithCode(
    h.alice.receivePurchaseOrder({ ...receipt, lines: [{ sku: "TEH-100", received: 5, rejected: 0 }] }),
    "IDEMPOTENCY_KEY_REUSED",
  );
  // Without a key, a second delivery is a second delivery.
  await h.alice.receivePurchaseOrder({ id: draft.id, lines: [{ sku: "TEH-100", received: 1, rejected: 0 }] });
  const after = await h.alice.getPurchaseOrder({ id: draft.id });
  assert.deepEqual(
    after.purchaseOrder?.lines.map((l) => l.received),
    [5],
  );
});
