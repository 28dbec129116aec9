import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { decodeEnvelope } from "@toko/kit";
import { rejectsWithCode, testPrincipal, waitForValue } from "@toko/testing";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// Restock over real gRPC: units a checkout committed go back into the warehouses they came
// from, only for the order service, once per key, never more than were committed.
let h: Harness;
let main: string;
let second: string;
let otherShop: string;

before(async () => {
  h = await startHarness();
  main = await warehouse(h.alice, "Gudang Utama", true);
  second = await warehouse(h.alice, "Gudang Bekasi");
  otherShop = await warehouse(h.bob, "Gudang Bob", true);
});
after(() => h.stop());
afterEach(() => assertLedgerBalances(h.db.pool));

/** A committed checkout of `quantity` TEH-100: 3 from the default warehouse, the rest from the second. */
async function committed(checkoutId: string, quantity: number) {
  await h.checkout.reserve({
    checkoutId,
    lines: [{ shopId: "shop-a", sku: "TEH-100", quantity }],
    ttlSeconds: 600,
  });
  const { reservation } = await h.checkout.commit({ checkoutId });
  return reservation?.allocations ?? [];
}

const levels = async () => {
  const { levels } = await h.alice.listStockLevels({ sku: "TEH-100", page: undefined });
  return Object.fromEntries(levels.map((l) => [l.warehouseId, [Number(l.onHand), Number(l.reserved)]]));
};
const ledgerRows = async () =>
  Number((await h.db.pool.query("SELECT count(*)::int AS n FROM stock_ledger")).rows[0].n);

test("Restock puts committed units back as return ledger rows and publishes StockChanged", async () => {
  await stockUp(h.alice, "TEH-100", main, 3);
  await stockUp(h.alice, "TEH-100", second, 10);
  const allocations = await committed("co-restock", 5);
  assert.deepEqual(
    allocations.map((a) => [a.warehouseId, Number(a.quantity)]).sort(),
    [
      [main, 3],
      [second, 2],
    ].sort(),
  );
  assert.deepEqual(await levels(), { [main]: [0, 0], [second]: [8, 0] });
  const res = await h.checkout.restock({
    idempotencyKey: "cancel-order-1",
    checkoutId: "co-restock",
    lines: [
      { sku: "TEH-100", warehouseId: main, quantity: 3 },
      { sku: "TEH-100", warehouseId: second, quantity: 1 },
    ],
    reason: "order cancelled by the buyer",
  });
  assert.deepEqual(
    res.levels.map((l) => [l.warehouseId, Number(l.onHand), Number(l.available)]),
    [
      [main, 3, 3],
      [second, 9, 9],
    ],
  );
  assert.deepEqual(await levels(), { [main]: [3, 0], [second]: [9, 0] });
  const { rows } = await h.db.pool.query(
    `SELECT warehouse_id, on_hand_delta::int AS d, actor, note FROM stock_ledger
      WHERE reason = 'return' AND reference = 'co-restock' ORDER BY warehouse_id`,
  );
  assert.deepEqual(
    rows.map((r) => [r.warehouse_id, r.d, r.actor, r.note]),
    [
      [main, 3, "service:order", "order cancelled by the buyer"],
      [second, 1, "service:order", "order cancelled by the buyer"],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  // The coalesced StockChanged carries the totals after the restock.
  const published = await waitForValue(
    async () => {
      const { rows: out } = await h.db.pool.query(
        "SELECT envelope FROM kit_outbox WHERE type = 'toko.inventory.v1.StockChanged' ORDER BY id",
      );
      const last = out
        .map((r) => StockChanged.decode(decodeEnvelope(r.envelope).payload))
        .filter((e) => e.sku === "TEH-100")
        .at(-1);
      return last && Number(last.onHand) === 12 ? last : undefined;
    },
    "a StockChanged with the restocked totals",
    10_000,
  );
  assert.equal(Number(published.available), 12);

  // The last committed unit can still come back, under another key; one more cannot.
  await h.checkout.restock({
    idempotencyKey: "return-r-1",
    checkoutId: "co-restock",
    lines: [{ sku: "TEH-100", warehouseId: second, quantity: 1 }],
    reason: "customer return",
  });
  const before = await ledgerRows();
  const e = await rejectsWithCode(
    h.checkout.restock({
      idempotencyKey: "return-r-2",
      checkoutId: "co-restock",
      lines: [{ sku: "TEH-100", warehouseId: main, quantity: 1 }],
      reason: "customer return",
    }),
    "RESTOCK_EXCEEDS_COMMITTED",
  );
  assert.equal(e.kind, "failed_precondition");
  assert.match(e.violations[0]?.message ?? "", /0 committed units left/);
  assert.equal(await ledgerRows(), before);
  assert.deepEqual(await levels(), { [main]: [3, 0], [second]: [10, 0] });
});

test("a replayed key changes nothing and answers the first result; another request under it is refused", async () => {
  await stockUp(h.alice, "GULA-1K", main, 4);
  await h.checkout.reserve({
    checkoutId: "co-replay",
    lines: [{ shopId: "shop-a", sku: "GULA-1K", quantity: 4 }],
    ttlSeconds: 600,
  });
  await h.checkout.commit({ checkoutId: "co-replay" });
  const req = {
    idempotencyKey: "reject-order-2",
    checkoutId: "co-replay",
    lines: [{ sku: "GULA-1K", warehouseId: main, quantity: 2 }],
    reason: "order rejected by the seller",
  };
  // Concurrent duplicates wait for the first; later replays read its answer.
  const answers = await Promise.all([h.checkout.restock(req), h.checkout.restock(req)]);
  const again = await h.checkout.restock(req);
  for (const a of [...answers, again]) assert.deepEqual(a, answers[0]);
  assert.equal(Number(again.levels[0]?.onHand), 2);
  const { rows } = await h.db.pool.query(
    "SELECT count(*)::int AS n FROM stock_ledger WHERE reason = 'return' AND reference = 'co-replay'",
  );
  assert.equal(rows[0].n, 1);
  await rejectsWithCode(
    h.checkout.restock({ ...req, lines: [{ sku: "GULA-1K", warehouseId: main, quantity: 1 }] }),
    "IDEMPOTENCY_KEY_REUSED",
  );
  const { levels } = await h.alice.listStockLevels({ sku: "GULA-1K", page: undefined });
  assert.equal(Number(levels[0]?.onHand), 2);
});

test("only the order service may restock: users and other services are refused, nothing changes", async () => {
  await stockUp(h.alice, "KOPI-250", main, 2);
  await h.checkout.reserve({
    checkoutId: "co-caller",
    lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 2 }],
    ttlSeconds: 600,
  });
  await h.checkout.commit({ checkoutId: "co-caller" });
  const req = {
    idempotencyKey: "k-caller",
    checkoutId: "co-caller",
    lines: [{ sku: "KOPI-250", warehouseId: main, quantity: 2 }],
    reason: "cancelled",
  };
  const before = await ledgerRows();
  const cart = h.svc.client(InventoryServiceClient, {
    principal: testPrincipal("service:cart", ["service"]),
  });
  const admin = h.svc.client(InventoryServiceClient, {
    principal: testPrincipal("root", ["admin", "seller"]),
  });
  try {
    for (const client of [h.alice, h.carol, cart, admin]) {
      const e = await rejectsWithCode(client.restock(req), "FORBIDDEN");
      assert.equal(e.kind, "permission_denied");
    }
    await rejectsWithCode(h.anonymous.restock(req), "UNAUTHENTICATED");
  } finally {
    cart.close();
    admin.close();
  }
  assert.equal(await ledgerRows(), before);
  const { rows } = await h.db.pool.query(
    "SELECT count(*)::int AS n FROM idempotent_writes WHERE key = 'k-caller'",
  );
  assert.equal(rows[0].n, 0, "a refused call claims no key");
  // The same request from the order service goes through.
  await h.checkout.restock(req);
  assert.equal(await ledgerRows(), before + 1);
});

test("bad input is INVALID_ARGUMENT; a checkout not committed or another shop's warehouse is refused; nothing changes", async () => {
  await stockUp(h.alice, "BERAS-5K", main, 5);
  await h.checkout.reserve({
    checkoutId: "co-bad",
    lines: [{ shopId: "shop-a", sku: "BERAS-5K", quantity: 2 }],
    ttlSeconds: 600,
  });
  const good = {
    idempotencyKey: "k-bad",
    checkoutId: "co-bad",
    lines: [{ sku: "BERAS-5K", warehouseId: main, quantity: 1 }],
    reason: "cancelled",
  };
  const before = await ledgerRows();
  const invalid: [Partial<typeof good>, string][] = [
    [{ idempotencyKey: "" }, "idempotency_key"],
    [{ idempotencyKey: "has space" }, "idempotency_key"],
    [{ checkoutId: " " }, "checkout_id"],
    [{ reason: "" }, "reason"],
    [{ reason: "x".repeat(501) }, "reason"],
    [{ lines: [] }, "lines"],
    [{ lines: [{ sku: "BERAS-5K", warehouseId: main, quantity: 0 }] }, "lines[0].quantity"],
    [{ lines: [{ sku: "BERAS-5K", warehouseId: main, quantity: -3 }] }, "lines[0].quantity"],
    [{ lines: [{ sku: "", warehouseId: main, quantity: 1 }] }, "lines[0].sku"],
    [{ lines: [{ sku: "BERAS-5K", warehouseId: "", quantity: 1 }] }, "lines[0].warehouse_id"],
    [
      {
        lines: [
          { sku: "BERAS-5K", warehouseId: main, quantity: 1 },
          { sku: "BERAS-5K", warehouseId: main, quantity: 1 },
        ],
      },
      "lines[1]",
    ],
  ];
  for (const [change, field] of invalid) {
    const e = await rejectsWithCode(h.checkout.restock({ ...good, ...change }), "VALIDATION_FAILED");
    assert.equal(e.kind, "invalid");
    assert.ok(
      e.violations.some((v) => v.field === field),
      `${JSON.stringify(change).slice(0, 80)}: ${JSON.stringify(e.violations)}`,
    );
  }
  // Held, not committed: nothing was taken, so nothing goes back.
  await rejectsWithCode(h.checkout.restock(good), "RESERVATION_NOT_COMMITTED");
  await rejectsWithCode(h.checkout.restock({ ...good, checkoutId: "co-unknown" }), "NOT_FOUND");
  await h.checkout.commit({ checkoutId: "co-bad" });
  // A warehouse (or SKU) the checkout took nothing from: another shop's, or the wrong SKU.
  await rejectsWithCode(
    h.checkout.restock({ ...good, lines: [{ sku: "BERAS-5K", warehouseId: otherShop, quantity: 1 }] }),
    "RESTOCK_EXCEEDS_COMMITTED",
  );
  await rejectsWithCode(
    h.checkout.restock({ ...good, lines: [{ sku: "KOPI-250", warehouseId: main, quantity: 1 }] }),
    "RESTOCK_EXCEEDS_COMMITTED",
  );
  await rejectsWithCode(
    h.checkout.restock({ ...good, lines: [{ sku: "BERAS-5K", warehouseId: main, quantity: 3 }] }),
    "RESTOCK_EXCEEDS_COMMITTED",
  );
  assert.equal(await ledgerRows(), before + 1, "only the commit wrote to the ledger");
  const { rows } = await h.db.pool.query(
    "SELECT count(*)::int AS n FROM idempotent_writes WHERE key = 'k-bad'",
  );
  assert.equal(rows[0].n, 0, "a refused restock leaves its key unclaimed");
  // After all those refusals the key still works for the valid request.
  const ok = await h.checkout.restock(good);
  assert.equal(Number(ok.levels[0]?.onHand), 4);
});
