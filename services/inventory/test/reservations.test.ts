import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { ReservationStatus } from "@toko/contracts/toko/inventory/v1/inventory";
import type { DomainError } from "@toko/kit";
import { countRows, rejectsWithCode } from "@toko/testing";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

let h: Harness;
let main: string;
let second: string;

before(async () => {
  h = await startHarness();
  main = await warehouse(h.alice, "Gudang Utama");
  second = await warehouse(h.alice, "Gudang Bekasi");
});
after(() => h.stop());
afterEach(() => assertLedgerBalances(h.db.pool));

const available = async (sku: string) =>
  (await h.checkout.getAvailability({ items: [{ shopId: "shop-a", sku }] })).items[0]?.available;

test("Reserve allocates from the default warehouse first, then the one with most available", async () => {
  await stockUp(h.alice, "TEH-100", main, 3);
  await stockUp(h.alice, "TEH-100", second, 10);
  const { reservation } = await h.checkout.reserve({
    checkoutId: "co-alloc",
    lines: [{ shopId: "shop-a", sku: "TEH-100", quantity: 5 }],
    ttlSeconds: 600,
  });
  assert.equal(reservation?.status, ReservationStatus.RESERVATION_STATUS_HELD);
  assert.deepEqual(
    reservation?.allocations.map((a) => [a.warehouseId, a.quantity]),
    [
      [main, 3],
      [second, 2],
    ].sort(),
  );
  assert.equal(await available("TEH-100"), 8);
});

test("Reserve is all-or-nothing: one short line holds nothing", async () => {
  await stockUp(h.alice, "GULA-1K", main, 5);
  await stockUp(h.alice, "BERAS-5K", main, 1);
  const e = await rejectsWithCode(
    h.checkout.reserve({
      checkoutId: "co-short",
      lines: [
        { shopId: "shop-a", sku: "GULA-1K", quantity: 2 },
        { shopId: "shop-a", sku: "BERAS-5K", quantity: 2 },
      ],
      ttlSeconds: 600,
    }),
    "OUT_OF_STOCK",
  );
  assert.match(e.violations[0]?.message ?? "", /BERAS-5K: 1 available, 2 wanted/);
  assert.equal(await available("GULA-1K"), 5);
  await rejectsWithCode(h.checkout.getReservation({ checkoutId: "co-short" }), "NOT_FOUND");
});

test("repeating Reserve with the same checkout id changes nothing; other lines conflict", async () => {
  await stockUp(h.alice, "KOPI-250", main, 10);
  const req = {
    checkoutId: "co-idem",
    lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 4 }],
    ttlSeconds: 600,
  };
  const first = await h.checkout.reserve(req);
  const again = await Promise.all([h.checkout.reserve(req), h.checkout.reserve(req)]);
  for (const r of again) assert.deepEqual(r.reservation?.allocations, first.reservation?.allocations);
  assert.equal(await available("KOPI-250"), 6);
  await rejectsWithCode(
    h.checkout.reserve({ ...req, lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 5 }] }),
    "RESERVATION_CONFLICT",
  );
  await h.checkout.release({ checkoutId: "co-idem" });
});

test("Commit deducts on hand; repeating it changes nothing; Release after Commit is refused", async () => {
  await stockUp(h.alice, "BERAS-5K", second, 4);
  await h.checkout.reserve({
    checkoutId: "co-commit",
    lines: [{ shopId: "shop-a", sku: "BERAS-5K", quantity: 3 }],
    ttlSeconds: 600,
  });
  const before = await h.alice.listStockLevels({ sku: "BERAS-5K" });
  const onHandBefore = before.levels.reduce((s, l) => s + l.onHand, 0);
  const c1 = await h.checkout.commit({ checkoutId: "co-commit" });
  const c2 = await h.checkout.commit({ checkoutId: "co-commit" });
  assert.equal(c1.reservation?.status, ReservationStatus.RESERVATION_STATUS_COMMITTED);
  assert.equal(c2.reservation?.status, ReservationStatus.RESERVATION_STATUS_COMMITTED);
  const afterCommit = await h.alice.listStockLevels({ sku: "BERAS-5K" });
  assert.equal(
    afterCommit.levels.reduce((s, l) => s + l.onHand, 0),
    onHandBefore - 3,
  );
  assert.equal(
    afterCommit.levels.reduce((s, l) => s + l.reserved, 0),
    0,
  );
  await rejectsWithCode(h.checkout.release({ checkoutId: "co-commit" }), "RESERVATION_COMMITTED");
  assert.deepEqual((await h.alice.listStockLevels({ sku: "BERAS-5K" })).levels, afterCommit.levels);
});

test("Release returns stock; repeating it changes nothing; Commit after Release is refused", async () => {
  await stockUp(h.alice, "GULA-1K", second, 2);
  const start = await available("GULA-1K");
  await h.checkout.reserve({
    checkoutId: "co-release",
    lines: [{ shopId: "shop-a", sku: "GULA-1K", quantity: 2 }],
    ttlSeconds: 600,
  });
  assert.equal(await available("GULA-1K"), (start ?? 0) - 2);
  await h.checkout.release({ checkoutId: "co-release" });
  await h.checkout.release({ checkoutId: "co-release" });
  assert.equal(await available("GULA-1K"), start);
  await rejectsWithCode(h.checkout.commit({ checkoutId: "co-release" }), "RESERVATION_RELEASED");
  assert.equal(await available("GULA-1K"), start);
});

test("Release before Reserve (a crashed saga) leaves a tombstone: the late Reserve holds nothing", async () => {
  const start = await available("KOPI-250");
  const r = await h.checkout.release({ checkoutId: "co-early" });
  assert.equal(r.reservation?.status, ReservationStatus.RESERVATION_STATUS_RELEASED);
  await rejectsWithCode(
    h.checkout.reserve({
      checkoutId: "co-early",
      lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 1 }],
      ttlSeconds: 60,
    }),
    "RESERVATION_RELEASED",
  );
  assert.equal(await available("KOPI-250"), start);
  await rejectsWithCode(h.checkout.commit({ checkoutId: "co-never" }), "NOT_FOUND");
});

test("bad input is refused with a clear status and changes nothing", async () => {
  const before = await h.db.pool.query("SELECT count(*)::int AS n FROM stock_ledger");
  const bad = await rejectsWithCode(
    h.checkout.reserve({
      checkoutId: "co-bad",
      lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: -2 }],
      ttlSeconds: 60,
    }),
    "VALIDATION_FAILED",
  );
  assert.equal(bad.violations[0]?.field, "lines[0].quantity");
  await rejectsWithCode(
    h.checkout.reserve({ checkoutId: "co-bad", lines: [], ttlSeconds: 60 }),
    "VALIDATION_FAILED",
  );
  await rejectsWithCode(
    h.checkout.reserve({
      checkoutId: "co-bad",
      lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 1 }],
      ttlSeconds: 0,
    }),
    "VALIDATION_FAILED",
  );
  await rejectsWithCode(
    h.checkout.reserve({
      checkoutId: "co-bad",
      lines: [{ shopId: "shop-a", sku: "NOPE-1", quantity: 1 }],
      ttlSeconds: 60,
    }),
    "UNKNOWN_SKU",
  );
  const afterBad = await h.db.pool.query("SELECT count(*)::int AS n FROM stock_ledger");
  assert.equal(afterBad.rows[0].n, before.rows[0].n);
});

test("Reserve, Commit, Release and GetReservation need a service principal: buyers, sellers and anonymous callers change nothing", async () => {
  await stockUp(h.alice, "TEH-100", main, 4);
  await h.checkout.reserve({
    checkoutId: "co-guarded",
    lines: [{ shopId: "shop-a", sku: "TEH-100", quantity: 1 }],
    ttlSeconds: 600,
  });
  const snapshot = async () => ({
    levels: (await h.alice.listStockLevels({ sku: "TEH-100" })).levels,
    reservations: await countRows(h.db.pool, "reservations"),
    ledger: await countRows(h.db.pool, "stock_ledger"),
    timers: await countRows(h.db.pool, "kit_timers"),
    guarded: (await h.checkout.getReservation({ checkoutId: "co-guarded" })).reservation?.status,
  });
  const before = await snapshot();
  assert.equal(before.guarded, ReservationStatus.RESERVATION_STATUS_HELD);
  // Thunks, so each call starts only when awaited (an eager rejection would go unhandled).
  const attempts = (client: Harness["checkout"]) => [
    () =>
      client.reserve({
        checkoutId: "co-intruder",
        lines: [{ shopId: "shop-a", sku: "TEH-100", quantity: 1 }],
        ttlSeconds: 600,
      }),
    () => client.commit({ checkoutId: "co-guarded" }),
    () => client.release({ checkoutId: "co-guarded" }),
    () => client.release({ checkoutId: "co-unseen" }),
    () => client.getReservation({ checkoutId: "co-guarded" }),
    () => client.getReservation({ checkoutId: "co-unseen" }),
  ];
  for (const attempt of [...attempts(h.carol), ...attempts(h.alice)])
    await rejectsWithCode(attempt(), "FORBIDDEN");
  for (const attempt of attempts(h.anonymous)) await rejectsWithCode(attempt(), "UNAUTHENTICATED");
  assert.deepEqual(await snapshot(), before);
  await rejectsWithCode(h.checkout.getReservation({ checkoutId: "co-intruder" }), "NOT_FOUND");
  await h.checkout.release({ checkoutId: "co-guarded" });
});

test("200 concurrent Reserve calls for the last 10 units: exactly 10 succeed, available ends at 0", async () => {
  const sku = "KOPI-250";
  // Bring the SKU to exactly 10 available: 6 in the default warehouse, 4 in the second.
  for (const l of (await h.alice.listStockLevels({ sku })).levels)
    if (l.available > 0)
      await h.alice.adjustStock({
        sku,
        warehouseId: l.warehouseId,
        delta: -l.available,
        reason: "recount",
        isReturn: false,
      });
  await stockUp(h.alice, sku, main, 6);
  await stockUp(h.alice, sku, second, 4);
  assert.equal(await available(sku), 10);
  // The assertion is about correctness, not speed: a generous deadline keeps a loaded machine
  // from turning queued calls into DEADLINE_EXCEEDED.
  const results = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) =>
      h.checkout.reserve(
        { checkoutId: `co-race-${i}`, lines: [{ shopId: "shop-a", sku, quantity: 1 }], ttlSeconds: 600 },
        { deadlineMs: 60_000 },
      ),
    ),
  );
  const ok = results.filter((r) => r.status === "fulfilled");
  const failed = results.filter((r) => r.status === "rejected");
  assert.equal(ok.length, 10);
  for (const f of failed)
    assert.equal(((f as PromiseRejectedResult).reason as DomainError).code, "OUT_OF_STOCK");
  assert.equal(await available(sku), 0);
});
