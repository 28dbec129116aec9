import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { createClient, createEnvelope, createNatsBus, type EventBus, protoEvent } from "@toko/kit";
import {
  createTestDatabase,
  natsSkipReason,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPrincipal,
} from "@toko/testing";
import { eventually, tshirt } from "./harness.ts";

// The real entry point with the cluster's EVENT_BUS=nats: the outbox relays to JetStream and the
// StockChanged consumer reads from it (no Postgres bus configured at all).
const serviceDir = join(import.meta.dirname, "..");

describe("the product process with EVENT_BUS=nats", { skip: await natsSkipReason() }, () => {
  let db: TestDatabase;
  let nats: EventBus;
  before(async () => {
    db = await createTestDatabase();
    nats = await createNatsBus({ servers: TEST_NATS_URL });
  });
  after(async () => {
    await nats?.close();
    await db?.drop();
  });

  test("relays ProductCreated to NATS, consumes StockChanged from it and exits 0 on SIGTERM", async () => {
    const product = await startServiceProcess(serviceDir, {
      DATABASE_URL: db.url,
      EVENT_BUS: "nats",
      NATS_URL: TEST_NATS_URL,
      BUS_DATABASE_URL: "",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      // No user service: the seller grant is left to the durable timer (tested elsewhere).
      TOKO_USER_ADDR: "127.0.0.1:9",
    });
    const sellerId = `seller-${randomBytes(4).toString("hex")}`;
    const seller = createClient(ProductServiceClient, product.grpcAddress, {
      internalSecret: TEST_INTERNAL_SECRET,
    });
    const as = { principal: testPrincipal(sellerId, ["buyer", "seller"]) };
    // One durable group across runs; the stream is shared, so it waits for this run's product only.
    let created!: (source: string) => void;
    const arrived = new Promise<string>((resolve, reject) => {
      created = resolve;
      setTimeout(() => reject(new Error("ProductCreated never reached NATS")), 30_000).unref();
    });
    let productId = "";
    const consumption = await nats.consume({
      group: "product-tests.process",
      types: ["toko.product.v1.ProductCreated"],
      handler: async ({ envelope }) => {
        if (productId !== "" && envelope.subject === productId) created(envelope.source);
      },
      retryDelayMs: () => 100,
    });
    try {
      const { shop } = await seller.openShop(
        { name: "Toko Nats", slug: sellerId, city: "Bandung", province: "Jawa Barat", description: "" },
        as,
      );
      const sku = `NATS-${randomBytes(3).toString("hex")}`;
      const { category } = await seller.getCategory({ categoryId: "", slug: "kaos-pria" }, as);
      const made = await seller.createProduct(tshirt(sku, { categoryId: category?.id ?? "" }), as);
      productId = made.product?.id ?? "";
      assert.equal(await arrived, "product");

      const stock = StockChanged.fromPartial({
        shopId: shop?.id ?? "",
        sku: `${sku}-M`,
        available: 40,
        onHand: 40,
        occurredAt: new Date(),
      });
      await nats.publish([
        createEnvelope("inventory", protoEvent("toko.inventory.v1.StockChanged", sku, StockChanged, stock)),
      ]);
      await eventually(async () => {
        const { product: seen } = await seller.getProduct({ productId }, as);
        return seen?.variants.find((v) => v.sku === `${sku}-M`)?.stockStatus === "in_stock";
      });
    } finally {
      await consumption.stop();
      seller.close();
      assert.equal(await product.stop(), 0, product.logs());
    }
  });
});
