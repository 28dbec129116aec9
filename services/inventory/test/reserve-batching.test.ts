import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DomainError } from "@toko/kit";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// One reserve connection: while one statement runs, every other Reserve queues, so concurrent
// calls go out in batches. Each must still be decided exactly as if it ran alone.
let h: Harness;
before(async () => {
  h = await startHarness({ RESERVE_POOL_SIZE: "1" });
  const main = await warehouse(h.alice, "Gudang Utama");
  await stockUp(h.alice, "GULA-1K", main, 5);
  await stockUp(h.alice, "BERAS-5K", main, 1);
  await stockUp(h.alice, "TEH-100", main, 3);
});
after(() => h.stop());

const reserve = (checkoutId: string, sku: string, quantity: number) =>
  h.checkout.reserve({ checkoutId, lines: [{ shopId: "shop-a", sku, quantity }], ttlSeconds: 600 });
const available = async (sku: string) =>
  (await h.checkout.getAvailability({ items: [{ shopId: "shop-a", sku }] })).items[0]?.available;
const code = (r: PromiseSettledResult<unknown>) =>
  r.status === "rejected" ? (r.reason as DomainError).code : "OK";

test("batched Reserves: each is all-or-nothing, idempotent and never oversells, as if alone", async () => {
  const results = await Promise.allSettled([
    ...Array.from({ length: 7 }, (_, i) => reserve(`co-g${i}`, "GULA-1K", 1)),
    reserve("co-b", "BERAS-5K", 2),
    reserve("co-u", "NOPE-1", 1),
    reserve("co-t", "TEH-100", 3),
    reserve("co-t", "TEH-100", 3),
    reserve("co-t", "TEH-100", 2),
  ]);
  const codes = results.map(code);
  assert.equal(codes.slice(0, 7).filter((c) => c === "OK").length, 5, codes.join());
  assert.equal(codes.slice(0, 7).filter((c) => c === "OUT_OF_STOCK").length, 2, codes.join());
  assert.deepEqual(codes.slice(7), ["OUT_OF_STOCK", "UNKNOWN_SKU", "OK", "OK", "RESERVATION_CONFLICT"]);
  const [t1, t2] = results
    .slice(9, 11)
    .map((r) => (r as PromiseFulfilledResult<{ reservation?: unknown }>).value);
  assert.deepEqual(t1?.reservation, t2?.reservation, "the repeated Reserve returns the same reservation");
  assert.deepEqual(
    [await available("GULA-1K"), await available("BERAS-5K"), await available("TEH-100")],
    [0, 1, 0],
  );
  await assertLedgerBalances(h.db.pool);
});
