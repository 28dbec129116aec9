import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DomainError, RemoteCallError } from "@toko/kit";
import { countRows, waitFor } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

// Many buyers race for the last units of a SKU: inventory's all-or-nothing reservation decides,
// so exactly as many checkouts succeed as there are units, every one of them gets paid, and the
// rest are refused OUT_OF_STOCK with nothing held.
let h: Harness;
const va = {
  paymentMethod: "bank_transfer_va",
  paymentChannel: "bca",
  voucherCodes: [],
  overrideVouchers: false,
};

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Inventory's invariants: levels = ledger sums, reserved = what held reservations allocate. */
async function assertLedgerConsistent() {
  const pool = h.db.inventory.pool;
  const { rows: mismatched } = await pool.query(`
    SELECT l.warehouse_id, l.sku, l.on_hand, l.reserved, g.on_hand AS ledger_on_hand, g.reserved AS ledger_reserved
      FROM stock_levels l
      FULL JOIN (SELECT warehouse_id, sku, sum(on_hand_delta)::bigint AS on_hand,
                        sum(reserved_delta)::bigint AS reserved
                   FROM stock_ledger GROUP BY warehouse_id, sku) g
        ON g.warehouse_id = l.warehouse_id AND g.sku = l.sku
     WHERE l.on_hand IS DISTINCT FROM g.on_hand OR l.reserved IS DISTINCT FROM g.reserved`);
  assert.deepEqual(mismatched, [], "stock levels must equal the ledger's sums");
  const { rows: held } = await pool.query(`
    SELECT l.warehouse_id, l.sku, l.reserved, coalesce(a.q, 0)::bigint AS held
      FROM stock_levels l
      LEFT JOIN (SELECT a.warehouse_id, a.sku, sum(a.quantity) AS q FROM reservation_allocations a
                   JOIN reservations r ON r.checkout_id = a.checkout_id AND r.status = 'held'
                  GROUP BY a.warehouse_id, a.sku) a ON a.warehouse_id = l.warehouse_id AND a.sku = l.sku
     WHERE l.reserved <> coalesce(a.q, 0)`);
  assert.deepEqual(held, [], "reserved must equal what held reservations allocate");
}

/**
 * Runs `call` again, as a client does, while it fails for a passing reason (a deadline, an
 * internal error or UNAVAILABLE of an overloaded process: its pool's connect timeout, a callee's
 * deadline); a checkout retried under its key carries on where it stopped. Other domain answers
 * (OUT_OF_STOCK among them) are final.
 */
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

const reservationsIn = async (status: string) => countRows(h.db.inventory.pool, "reservations", { status });

describe("concurrency", () => {
  // The scale. The buyers are seeded into the user database (registering 300 accounts
  // would spend minutes hashing passwords); their carts and checkouts go through the services.
  test("300 buyers check out the last 10 units at once: exactly 10 orders are paid", async () => {
    const BUYERS = 300;
    const UNITS = 10;
    const shop = await h.newShop(UNITS, [15_000]);
    const sku = shop.skus[0] as string;
    const variantId = shop.variantIds[0] as string;
    const seeded = await h.seedBuyers(BUYERS);
    const buyers: { id: string; addressId: string; shipping: { shopId: string; optionId: string }[] }[] = [];
    for (let i = 0; i < BUYERS; i += 10) {
      const batch = await Promise.all(
        seeded.slice(i, i + 10).map(async (b) => {
          let attempts = 0;
          const shipping = await retried(() => {
            attempts += 1;
            return h.fill(b, [{ variantId, quantity: 1 }]);
          });
          // An add that timed out may still have landed: the line is set to exactly one unit.
          if (attempts > 1)
            await retried(() =>
              h.carts.updateItem({ ref: undefined, variantId, quantity: 1 }, h.buyerOf(b.id)),
            );
          return { ...b, shipping };
        }),
      );
      buyers.push(...batch);
    }
    const started = Date.now();
    const results = await Promise.allSettled(
      buyers.map((b) =>
        retried(() =>
          h
            .orders(b.id, ["buyer"], 150_000)
            .checkout({ idempotencyKey: "race", addressId: b.addressId, shipping: b.shipping, ...va }),
        ),
      ),
    );
    const raceMs = Date.now() - started;
    const placed = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code?: string }] : []));
    assert.equal(
      placed.length,
      UNITS,
      `placed ${placed.length} in ${raceMs} ms: ${[...new Set(refused.map((e) => String((e as Error).message)))].join(" | ")}`,
    );
    assert.equal(refused.length, BUYERS - UNITS);
    // OUT_OF_STOCK, or — only when the machine is so loaded that a request died while pricing
    // and its checkout's resume timer failed it first — CHECKOUT_ABANDONED, which holds nothing.
    const codes = refused.map((e) => e.code ?? String(e));
    assert.ok(
      codes.every((c) => c === "OUT_OF_STOCK" || c === "CHECKOUT_ABANDONED"),
      JSON.stringify(
        refused.filter((e) => e.code !== "OUT_OF_STOCK" && e.code !== "CHECKOUT_ABANDONED").slice(0, 5),
      ),
    );
    // The losers hold nothing: only the winners' reservations exist, and their orders are cancelled.
    assert.deepEqual(await h.level(shop.owner, sku), { onHand: UNITS, reserved: UNITS, available: 0 });
    assert.equal(await reservationsIn("held"), UNITS);
    assert.equal(
      await countRows(h.db.order.pool, "orders", { shop_id: shop.shop.id, status: "AWAITING_PAYMENT" }),
      UNITS,
    );
    // Refused checkouts left no live order: those priced before the stock ran out are cancelled.
    const { rows: live } = await h.db.order.pool.query(
      "SELECT count(*)::int AS n FROM orders WHERE shop_id = $1 AND status NOT IN ('AWAITING_PAYMENT', 'CANCELLED')",
      [shop.shop.id],
    );
    assert.equal(live[0].n, 0);
    await assertLedgerConsistent();

    await Promise.all(
      placed.map((p) =>
        h.payments.simulatePayment(
          { paymentId: p.payment?.paymentId ?? "", outcome: "success" },
          h.buyerOf(p.orders[0]?.buyerId ?? ""),
        ),
      ),
    );
    await waitFor(
      async () =>
        (await countRows(h.db.order.pool, "orders", { shop_id: shop.shop.id, status: "PAID" })) === UNITS,
      "every placed order to be paid",
      120_000,
    );
    assert.equal(
      await countRows(h.db.order.pool, "orders", { shop_id: shop.shop.id, status: "PAID" }),
      UNITS,
    );
    assert.deepEqual(await h.level(shop.owner, sku), { onHand: 0, reserved: 0, available: 0 });
    assert.equal(await reservationsIn("committed"), UNITS);
    assert.equal(await reservationsIn("held"), 0);
    await assertLedgerConsistent();
  });
});
