import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ReservationStatus } from "@toko/contracts/toko/inventory/v1/inventory";
import { rejectsWithCode, waitFor, waitForValue } from "@toko/testing";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// Finished reservations and idempotency keys are pruned on a schedule once older than their
// retention; held reservations and anything younger stay.
let h: Harness;

before(async () => {
  h = await startHarness({
    FINISHED_RESERVATION_RETENTION_MS: String(3_600_000),
    IDEMPOTENCY_KEY_RETENTION_MS: String(3_600_000),
    RETENTION_INTERVAL_MS: "100",
  });
  const main = await warehouse(h.alice, "Gudang Utama");
  await stockUp(h.alice, "KOPI-250", main, 100);
});
after(() => h.stop());

const reserve = (checkoutId: string, ttlSeconds = 600) =>
  h.checkout.reserve({
    checkoutId,
    lines: [{ shopId: "shop-a", sku: "KOPI-250", quantity: 1 }],
    ttlSeconds,
  });

/** Makes rows look `hours` old, as if the clock had moved on. */
async function age(
  table: "reservations" | "idempotent_writes",
  column: string,
  ids: string[],
  hours: number,
) {
  const key = table === "reservations" ? "checkout_id" : "key";
  await h.db.pool.query(
    `UPDATE ${table} SET ${column} = now() - make_interval(hours => $2) WHERE ${key} = ANY($1::text[])`,
    [ids, hours],
  );
}

test("finished reservations older than the retention are pruned; held and recent ones stay", async () => {
  for (const id of ["old-committed", "old-released", "old-expired", "old-held", "new-committed"])
    await reserve(id, id === "old-expired" ? 1 : 600);
  await h.checkout.commit({ checkoutId: "old-committed" });
  await h.checkout.release({ checkoutId: "old-released" });
  await h.checkout.commit({ checkoutId: "new-committed" });
  await h.checkout.release({ checkoutId: "old-tombstone" }); // Release before any Reserve
  await waitFor(
    async () =>
      (await h.checkout.getReservation({ checkoutId: "old-expired" })).reservation?.status ===
      ReservationStatus.RESERVATION_STATUS_EXPIRED,
    "old-expired expires",
  );
  const old = ["old-committed", "old-released", "old-expired", "old-tombstone", "old-held"];
  await age("reservations", "updated_at", old, 2);

  await waitForValue(async () => {
    const { rows } = await h.db.pool.query("SELECT checkout_id FROM reservations ORDER BY checkout_id");
    const left = rows.map((r) => r.checkout_id);
    return left.length === 2 ? left : undefined;
  }, "the pruner runs");
  const { rows } = await h.db.pool.query("SELECT checkout_id FROM reservations ORDER BY checkout_id");
  assert.deepEqual(
    rows.map((r) => r.checkout_id),
    ["new-committed", "old-held"],
  );
  const allocations = await h.db.pool.query(
    "SELECT DISTINCT checkout_id FROM reservation_allocations ORDER BY 1",
  );
  assert.deepEqual(
    allocations.rows.map((r) => r.checkout_id),
    ["new-committed", "old-held"],
  );
  await rejectsWithCode(h.checkout.getReservation({ checkoutId: "old-committed" }), "NOT_FOUND");
  // The held reservation is untouched and still commits; the ledger still balances.
  await h.checkout.commit({ checkoutId: "old-held" });
  await assertLedgerBalances(h.db.pool);
});

test("idempotency keys older than the retention are pruned", async () => {
  const main = (await h.alice.listWarehouses({})).warehouses[0]?.id ?? "";
  const adjust = (key: string) =>
    h.alice.adjustStock({
      sku: "KOPI-250",
      warehouseId: main,
      delta: 1,
      reason: "count",
      isReturn: false,
      idempotencyKey: key,
    });
  await adjust("kept-key");
  await adjust("aged-key");
  await age("idempotent_writes", "created_at", ["aged-key"], 2);
  await waitForValue(async () => {
    const { rows } = await h.db.pool.query("SELECT key FROM idempotent_writes ORDER BY key");
    return rows.length === 1 ? rows.map((r) => r.key) : undefined;
  }, "the pruner runs");
  const { rows } = await h.db.pool.query("SELECT key FROM idempotent_writes");
  assert.deepEqual(
    rows.map((r) => r.key),
    ["kept-key"],
  );
});
