import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { InventoryServiceClient, ReservationStatus } from "@toko/contracts/toko/inventory/v1/inventory";
import { createClient, type DomainError, type RunningService } from "@toko/kit";
import {
  countRows,
  createTestDatabase,
  rejectsWithCode,
  type ServiceProcess,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  testPrincipal,
  waitForValue,
} from "@toko/testing";
import { startFakeProduct } from "./fake-product.ts";
import { assertLedgerBalances, CATALOG, CHECKOUT_SERVICE } from "./harness.ts";

// The real entry point as the launcher runs it, killed and restarted; two replicas on one database.
const serviceDir = join(import.meta.dirname, "..");
let db: TestDatabase;
let product: RunningService;
const running: ServiceProcess[] = [];

/** `src/main.ts` as its own process (free ports, ready on /readyz) with a client to it. */
async function spawnInventory() {
  const proc = await startServiceProcess(serviceDir, {
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    LOG_LEVEL: "error",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TIMER_POLL_MS: "100",
  });
  running.push(proc);
  const internal = createClient(InventoryServiceClient, proc.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
    deadlineMs: 20_000,
  });
  return { proc, internal };
}

before(async () => {
  db = await createTestDatabase();
  product = await startFakeProduct(CATALOG);
});

after(async () => {
  for (const p of running) await p.kill();
  await product.stop();
  await db.drop();
});

const alice = { principal: testPrincipal("alice", ["seller"]) };
const saga = { principal: CHECKOUT_SERVICE };

test("reservations whose TTL passes while the service is down are released after it restarts", async () => {
  const first = await spawnInventory();
  const wh = await first.internal.createWarehouse(
    { name: "Utama", address: "Jl. Asia Afrika 8", city: "Bandung", province: "Jawa Barat", isDefault: true },
    alice,
  );
  const warehouseId = wh.warehouse?.id ?? "";
  await first.internal.adjustStock(
    { sku: "TEH-100", warehouseId, delta: 5, reason: "count", isReturn: false },
    alice,
  );
  await first.internal.reserve(
    {
      checkoutId: "crash-1",
      lines: [{ shopId: "shop-a", sku: "TEH-100", quantity: 2 }],
      ttlSeconds: 1,
    },
    saga,
  );
  await first.internal.reserve(
    {
      checkoutId: "crash-2",
      lines: [{ shopId: "shop-a", sku: "TEH-100", quantity: 2 }],
      ttlSeconds: 3600,
    },
    saga,
  );
  first.internal.close();
  await first.proc.kill();
  // The TTL of crash-1 passes while nothing runs.
  await new Promise((r) => setTimeout(r, 1_200));
  const second = await spawnInventory();
  const expired = await waitForValue(
    async () => {
      const r = await second.internal.getReservation({ checkoutId: "crash-1" }, saga);
      return r.reservation?.status === ReservationStatus.RESERVATION_STATUS_EXPIRED
        ? r.reservation
        : undefined;
    },
    "crash-1 expired by the restarted process",
    20_000,
  );
  assert.deepEqual(expired.lines, [{ shopId: "shop-a", sku: "TEH-100", quantity: 2 }]);
  const held = await second.internal.getReservation({ checkoutId: "crash-2" }, saga);
  assert.equal(held.reservation?.status, ReservationStatus.RESERVATION_STATUS_HELD);
  const avail = await second.internal.getAvailability({ items: [{ shopId: "shop-a", sku: "TEH-100" }] });
  assert.equal(avail.items[0]?.available, 3);
  assert.equal(await countRows(db.pool, "kit_outbox", { type: "toko.inventory.v1.ReservationExpired" }), 1);
  // Commit after expiry is refused and changes nothing; Release after it is a no-op.
  await rejectsWithCode(second.internal.commit({ checkoutId: "crash-1" }, saga), "RESERVATION_RELEASED");
  await second.internal.release({ checkoutId: "crash-1" }, saga);
  await second.internal.release({ checkoutId: "crash-2" }, saga);
  await assertLedgerBalances(db.pool);
  second.internal.close();
  assert.equal(await second.proc.stop(), 0, second.proc.logs());
});

test("two inventory processes on one database: 200 concurrent Reserve calls for the last 10 units", async () => {
  const [a, b] = await Promise.all([spawnInventory(), spawnInventory()]);
  const wh = await a.internal.listWarehouses({}, alice);
  const warehouseId = wh.warehouses[0]?.id ?? "";
  await a.internal.adjustStock(
    { sku: "GULA-1K", warehouseId, delta: 10, reason: "count", isReturn: false },
    alice,
  );
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? a : b).internal.reserve(
        {
          checkoutId: `two-${i}`,
          lines: [{ shopId: "shop-a", sku: "GULA-1K", quantity: 1 }],
          ttlSeconds: 600,
        },
        saga,
      ),
    ),
  );
  console.log(`200 Reserve calls answered in ${Math.round(performance.now() - started)} ms`);
  // Every outcome at once, so a failure says what the calls answered, not only the first misfit.
  const outcomes: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === "fulfilled" ? "held" : ((r.reason as DomainError).code ?? String(r.reason));
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  assert.deepEqual(outcomes, { held: 10, OUT_OF_STOCK: 190 }, `${a.proc.logs()}\n${b.proc.logs()}`);
  const avail = await b.internal.getAvailability({ items: [{ shopId: "shop-a", sku: "GULA-1K" }] });
  assert.equal(avail.items[0]?.available, 0);
  await assertLedgerBalances(db.pool);
  for (const p of [a, b]) {
    p.internal.close();
    assert.equal(await p.proc.stop(), 0, p.proc.logs());
  }
});
