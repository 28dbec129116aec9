import assert from "node:assert/strict";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import type { RunningService } from "@toko/kit";
import {
  createTestDatabase,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
} from "@toko/testing";
import type pg from "pg";
import { loadInventoryConfig } from "../src/config.ts";
import { startInventory } from "../src/start.ts";
import { type CatalogShop, startFakeProduct } from "./fake-product.ts";

/** Alice owns shop-a, Bob owns shop-b; their catalogs hold these SKUs. */
export const CATALOG: CatalogShop[] = [
  { shopId: "shop-a", owner: "alice", skus: ["KOPI-250", "TEH-100", "GULA-1K", "BERAS-5K"] },
  { shopId: "shop-b", owner: "bob", skus: ["KOPI-250", "SABUN-1"] },
];

/** The order service's checkout saga as it calls inventory: a service principal. */
export const CHECKOUT_SERVICE = testPrincipal("service:order", ["service"]);

/** A clock tests can move; follows real time until pinned. */
export class TestClock {
  pinned: number | undefined;
  now = (): Date => new Date(this.pinned ?? Date.now());
  pin(at: Date): void {
    this.pinned = at.getTime();
  }
}

/** Inventory on a fresh database next to a stand-in product service, with clients. */
export async function startHarness(env: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase();
  const product: RunningService = await startFakeProduct(CATALOG);
  const clock = new TestClock();
  const config = loadInventoryConfig({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    STOCK_EVENT_WINDOW_MS: "50",
    TIMER_POLL_MS: "100",
    ...env,
  });
  const svc: TestService = await startTestService(() => startInventory(config, { now: clock.now }));
  return {
    db,
    clock,
    svc,
    productAddress: product.grpcAddress,
    alice: svc.client(InventoryServiceClient, { principal: testPrincipal("alice", ["seller"]) }),
    bob: svc.client(InventoryServiceClient, { principal: testPrincipal("bob", ["seller"]) }),
    carol: svc.client(InventoryServiceClient, { principal: testPrincipal("carol", ["buyer"]) }),
    /** The checkout saga: an internal service principal (Reserve, Commit, Release). */
    checkout: svc.client(InventoryServiceClient, { principal: CHECKOUT_SERVICE }),
    anonymous: svc.client(InventoryServiceClient),
    async stop() {
      await svc.stop();
      await product.stop();
      await db.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * The stock invariant: every level equals the sums of its ledger rows, no level has
 * negative available, and reserved equals what held reservations allocate.
 */
export async function assertLedgerBalances(pool: pg.Pool): Promise<void> {
  const { rows: mismatched } = await pool.query(`
    SELECT coalesce(l.warehouse_id, g.warehouse_id) AS warehouse_id, coalesce(l.sku, g.sku) AS sku,
           l.on_hand, l.reserved, g.on_hand AS ledger_on_hand, g.reserved AS ledger_reserved
      FROM stock_levels l
      FULL JOIN (SELECT warehouse_id, sku, sum(on_hand_delta)::bigint AS on_hand, sum(reserved_delta)::bigint AS reserved
                   FROM stock_ledger GROUP BY warehouse_id, sku) g
        ON g.warehouse_id = l.warehouse_id AND g.sku = l.sku
     WHERE l.on_hand IS DISTINCT FROM g.on_hand OR l.reserved IS DISTINCT FROM g.reserved
        OR l.on_hand < l.reserved`);
  assert.deepEqual(mismatched, [], "stock levels must equal the ledger's sums");
  const { rows: held } = await pool.query(`
    SELECT l.warehouse_id, l.sku, l.reserved, coalesce(h.q, 0)::bigint AS held
      FROM stock_levels l
      LEFT JOIN (SELECT a.warehouse_id, a.sku, sum(a.quantity) AS q FROM reservation_allocations a
                   JOIN reservations r ON r.checkout_id = a.checkout_id AND r.status = 'held'
                  GROUP BY a.warehouse_id, a.sku) h ON h.warehouse_id = l.warehouse_id AND h.sku = l.sku
     WHERE l.reserved <> coalesce(h.q, 0)`);
  assert.deepEqual(held, [], "reserved must equal what held reservations allocate");
}

/** Creates a warehouse in the caller's shop and returns its id. */
export async function warehouse(client: Harness["alice"], name: string, isDefault = false): Promise<string> {
  const res = await client.createWarehouse({
    name,
    address: "Jl. Sudirman 1",
    city: "Jakarta",
    province: "DKI Jakarta",
    isDefault,
  });
  assert.ok(res.warehouse);
  return res.warehouse.id;
}

/** Puts `quantity` of a SKU on hand in a warehouse (an audited adjustment). */
export async function stockUp(client: Harness["alice"], sku: string, warehouseId: string, quantity: number) {
  await client.adjustStock({ sku, warehouseId, delta: quantity, reason: "initial count", isReturn: false });
}
