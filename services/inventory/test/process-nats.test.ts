import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { createClient, createNatsBus, type RunningService } from "@toko/kit";
import {
  createTestDatabase,
  natsSkipReason,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPrincipal,
} from "@toko/testing";
import { startFakeProduct } from "./fake-product.ts";

// The real entry point with the cluster's bus setting: EVENT_BUS=nats must reach JetStream, not
// be ignored (events would then wait in the outbox forever with no Postgres bus configured).
const serviceDir = join(import.meta.dirname, "..");

describe("the inventory process with EVENT_BUS=nats", { skip: await natsSkipReason() }, () => {
  // A shop of its own per run: the JetStream stream is shared across runs.
  const shopId = `shop-nats-${randomBytes(4).toString("hex")}`;
  const dora = { principal: testPrincipal("dora", ["seller"]) };
  let db: TestDatabase;
  let product: RunningService;
  before(async () => {
    db = await createTestDatabase();
    product = await startFakeProduct([{ shopId, owner: "dora", skus: ["NATS-1"] }]);
  });
  after(async () => {
    await product.stop();
    await db.drop();
  });

  test("a stock adjustment's StockChanged goes out through NATS JetStream", async () => {
    const inventory = await startServiceProcess(serviceDir, {
      DATABASE_URL: db.url,
      EVENT_BUS: "nats",
      NATS_URL: TEST_NATS_URL,
      BUS_DATABASE_URL: "",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      STOCK_EVENT_WINDOW_MS: "50",
    });
    const nats = await createNatsBus({ servers: TEST_NATS_URL });
    const client = createClient(InventoryServiceClient, inventory.grpcAddress, {
      internalSecret: TEST_INTERNAL_SECRET,
    });
    let seen!: (event: StockChanged & { source: string }) => void;
    const arrived = new Promise<StockChanged & { source: string }>((resolve, reject) => {
      seen = resolve;
      setTimeout(() => reject(new Error("StockChanged never reached NATS")), 30_000).unref();
    });
    // One durable group across runs (nothing left behind per run); it waits for this run's shop.
    const consumption = await nats.consume({
      group: "inventory-tests.process-nats",
      types: ["toko.inventory.v1.StockChanged"],
      handler: async ({ envelope }) => {
        if (envelope.subject === `${shopId}/NATS-1`)
          seen({ ...StockChanged.decode(envelope.payload), source: envelope.source });
      },
      retryDelayMs: () => 100,
    });
    try {
      const { warehouse } = await client.createWarehouse(
        { name: "Utama", address: "Jl. Braga 1", city: "Bandung", province: "Jawa Barat", isDefault: true },
        dora,
      );
      await client.adjustStock(
        { sku: "NATS-1", warehouseId: warehouse?.id ?? "", delta: 7, reason: "count", isReturn: false },
        dora,
      );
      const event = await arrived;
      assert.deepEqual(
        { source: event.source, shopId: event.shopId, sku: event.sku, available: event.available },
        { source: "inventory", shopId, sku: "NATS-1", available: 7 },
      );
    } finally {
      client.close();
      await consumption.stop();
      await nats.close();
      assert.equal(await inventory.stop(), 0, inventory.logs());
    }
  });
});
