import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { createDb, createLogger, createOutbox, decodeEnvelope, type Kysely, sql } from "@toko/kit";
import type pg from "pg";
import { pgStockWriter } from "../src/infrastructure/pg-stock-writer.ts";
import type { InventoryDb } from "../src/infrastructure/schema.ts";
import {
  type StockChangePublisher,
  startStockChangePublisher,
} from "../src/infrastructure/stock-change-publisher.ts";
import { outboxInventoryEvents } from "../src/transport/inventory-events.ts";
import { assertLedgerBalances, type Harness, startHarness, stockUp, warehouse } from "./harness.ts";

// The last StockChanged of a SKU must carry its final totals, whatever the interleaving of
// writers and the publisher. The service's own publisher is parked (an hour-long window); the
// tests drive a second one by hand, on the same database, so they choose when it runs.
let h: Harness;
let db: Kysely<InventoryDb>;
let publisher: StockChangePublisher;
let main: string;
let second: string;

before(async () => {
  h = await startHarness({ STOCK_EVENT_WINDOW_MS: "3600000" });
  db = createDb<InventoryDb>(h.db.pool as unknown as pg.Pool);
  publisher = startStockChangePublisher({
    db,
    events: outboxInventoryEvents(createOutbox("inventory")),
    logger: createLogger({ service: "inventory", level: "silent", format: "json" }),
    windowMs: 3_600_000,
  });
  main = await warehouse(h.alice, "Gudang Utama");
  second = await warehouse(h.alice, "Gudang Bekasi");
});
after(async () => {
  await publisher.stop();
  await h.stop();
});

/** Flushes until no SKU is dirty. */
async function drain(): Promise<void> {
  for (let i = 0; i < 50 && (await publisher.flush()) > 0; i++);
  const left = await h.db.pool.query("SELECT count(*)::int AS n FROM stock_dirty");
  assert.equal(left.rows[0].n, 0, "every mark is cleared once its last change is published");
}

/** The last StockChanged in the outbox per SKU: `sku` → [on_hand, reserved]. */
async function lastPublished(): Promise<Map<string, [number, number]>> {
  const { rows } = await h.db.pool.query(
    "SELECT envelope FROM kit_outbox WHERE type = 'toko.inventory.v1.StockChanged' ORDER BY id",
  );
  const last = new Map<string, [number, number]>();
  for (const r of rows) {
    const e = StockChanged.decode(decodeEnvelope(r.envelope).payload);
    last.set(e.sku, [Number(e.onHand), Number(e.reserved)]);
  }
  return last;
}

/** The shop's totals per SKU from the levels: `sku` → [on_hand, reserved]. */
async function totals(): Promise<Map<string, [number, number]>> {
  const { rows } = await h.db.pool.query(
    `SELECT sku, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM stock_levels
      WHERE shop_id = 'shop-a' GROUP BY sku`,
  );
  return new Map(rows.map((r) => [r.sku, [r.on_hand, r.reserved]]));
}

test("a change committing while the publisher runs is published after it, not lost", async () => {
  await stockUp(h.alice, "KOPI-250", main, 10);
  await drain();
  await stockUp(h.alice, "KOPI-250", main, 1); // a committed mark is waiting
  // A writer has changed the level and touched the mark but not committed when the publisher
  // runs: the publisher reads the totals without that change (and must not wait for it).
  await db.transaction().execute(async (trx) => {
    await pgStockWriter.apply(trx, [
      {
        shopId: "shop-a",
        warehouseId: main,
        sku: "KOPI-250",
        onHandDelta: 5,
        reservedDelta: 0,
        reason: "adjustment",
        actor: "alice",
      },
    ]);
    assert.equal(await publisher.flush(), 1);
    assert.deepEqual((await lastPublished()).get("KOPI-250"), [11, 0]);
  });
  await drain();
  assert.deepEqual((await lastPublished()).get("KOPI-250"), [16, 0]);
  await assertLedgerBalances(h.db.pool);
});

test("concurrent writers and a running publisher: the last StockChanged equals the final totals", async () => {
  const skus = ["TEH-100", "GULA-1K", "BERAS-5K"];
  for (const sku of skus) {
    await stockUp(h.alice, sku, main, 1_000);
    await stockUp(h.alice, sku, second, 1_000);
  }
  let writing = true;
  const publishing = (async () => {
    while (writing) await publisher.flush();
  })();
  const writes = Array.from({ length: 60 }, (_, i) => {
    const sku = skus[i % skus.length] as string;
    const warehouseId = i % 2 === 0 ? main : second;
    if (i % 5 === 0)
      return h.checkout.reserve({
        checkoutId: `race-${i}`,
        lines: [{ shopId: "shop-a", sku, quantity: 1 + (i % 3) }],
        ttlSeconds: 600,
      });
    return h.alice.adjustStock({
      sku,
      warehouseId,
      delta: (i % 7) - 3 || 1,
      reason: "count",
      isReturn: false,
    });
  });
  try {
    await Promise.all(writes);
  } finally {
    // Settle everything before the next test drains: no writer nor flush left running.
    await Promise.allSettled(writes);
    writing = false;
    await publishing;
  }
  await drain();
  const published = await lastPublished();
  const final = await totals();
  for (const sku of skus) assert.deepEqual(published.get(sku), final.get(sku), sku);
  await assertLedgerBalances(h.db.pool);
});

test("a reorder point change marks its SKU for the next StockChanged", async () => {
  await stockUp(h.alice, "TEH-100", main, 1);
  await drain();
  await h.alice.setReorderPoint({ sku: "TEH-100", reorderPoint: 3 });
  assert.equal(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM stock_dirty`.execute(db)).rows[0]?.n,
    1,
  );
  await drain();
});
