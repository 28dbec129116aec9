import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ShipmentStatusChanged } from "@toko/contracts/toko/shipping/v1/events";
import {
  type Shipment,
  ShipmentStatus,
  ShippingServiceClient,
} from "@toko/contracts/toko/shipping/v1/shipping";
import { createClient, createNatsBus } from "@toko/kit";
import {
  createTestDatabase,
  natsSkipReason,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  TEST_NATS_URL,
  type TestDatabase,
  testPrincipal,
  waitForValue,
} from "@toko/testing";
import { buyerAddress, ORDER_SERVICE, shopAddress } from "./harness.ts";

// The real entry point as the launcher runs it: env in, migrations, the simulated carrier on
// durable timers, the outbox relayed to the bus, SIGTERM out.
const serviceDir = join(import.meta.dirname, "..");
let db: TestDatabase;
let bus: TestDatabase;
before(async () => {
  [db, bus] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
after(async () => {
  await Promise.all([db?.drop(), bus?.drop()]);
});

// As the launcher starts it: development, so the simulated carrier is on without being named.
const env = (stepMs: number): Record<string, string> => ({
  DATABASE_URL: db.url,
  EVENT_BUS: "postgres",
  BUS_DATABASE_URL: bus.url,
  TOKO_ENV: "development",
  TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
  SHIPPING_SIMULATOR_STEP_MS: String(stepMs),
});

async function book(grpcAddress: string, orderId: string) {
  const client = createClient(ShippingServiceClient, grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  try {
    const quotes = await client.quoteRates(
      {
        originCity: "Bandung",
        originProvince: "",
        destinationCity: "Surabaya",
        destinationProvince: "",
        parcel: { weightGrams: 800, lengthCm: 0, widthCm: 0, heightCm: 0 },
      },
      { principal: null },
    );
    const { shipment } = await client.createShipment(
      {
        orderId,
        buyerId: "buyer-p",
        shopId: "shop-p",
        shopOwnerUserId: "seller-p",
        origin: shopAddress(),
        destination: buyerAddress(),
        parcel: { weightGrams: 800, lengthCm: 0, widthCm: 0, heightCm: 0 },
        optionId: quotes.quotes[0]?.optionId ?? "",
        pickupSlotId: "",
        deliverySlotId: "",
      },
      { principal: ORDER_SERVICE },
    );
    assert.ok(shipment);
    return shipment;
  } finally {
    client.close();
  }
}

async function read(grpcAddress: string, id: string): Promise<Shipment> {
  const client = createClient(ShippingServiceClient, grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  try {
    const { shipment } = await client.getShipment(
      { shipmentId: id },
      { principal: testPrincipal("buyer-p") },
    );
    assert.ok(shipment);
    return shipment;
  } finally {
    client.close();
  }
}

describe("the shipping process", () => {
  test("the simulated carrier takes a parcel to DELIVERED; events reach the bus; SIGTERM exits 0", async () => {
    const svc = await startServiceProcess(serviceDir, env(100));
    try {
      const shipment = await book(svc.grpcAddress, "ord-process-1");
      const delivered = await waitForValue(
        async () => {
          const s = await read(svc.grpcAddress, shipment.id);
          return s.status === ShipmentStatus.SHIPMENT_STATUS_DELIVERED ? s : undefined;
        },
        "the parcel to be delivered",
        30_000,
      );
      // Bandung → Surabaya: picked up, two hubs, out for delivery, delivered.
      assert.equal(delivered.timeline.length, 5);
      const types = await waitForValue(
        async () => {
          const { rows } = await bus.pool.query<{ type: string }>(
            "SELECT type FROM kit_bus_events WHERE subject = $1 ORDER BY partition, seq",
            [shipment.id],
          );
          return rows.length === 5 ? rows.map((r) => r.type) : undefined;
        },
        "five events on the bus",
        30_000,
      );
      assert.deepEqual(types, [
        "toko.shipping.v1.ShipmentCreated",
        ...Array(4).fill("toko.shipping.v1.ShipmentStatusChanged"),
      ]);
    } finally {
      assert.equal(await svc.stop(), 0, svc.logs());
    }
  });

  test("a crash mid-journey loses nothing: after a restart the journey resumes to DELIVERED", async () => {
    let svc = await startServiceProcess(serviceDir, env(400));
    const shipment = await book(svc.grpcAddress, "ord-process-2");
    await waitForValue(
      async () => {
        const s = await read(svc.grpcAddress, shipment.id);
        return s.status === ShipmentStatus.SHIPMENT_STATUS_PICKED_UP ? s : undefined;
      },
      "the pickup",
      30_000,
    );
    await svc.kill();
    svc = await startServiceProcess(serviceDir, {
      ...env(100),
      GRPC_PORT: svc.env.GRPC_PORT ?? "",
      OPS_PORT: svc.env.OPS_PORT ?? "",
    });
    try {
      const delivered = await waitForValue(
        async () => {
          const s = await read(svc.grpcAddress, shipment.id);
          return s.status === ShipmentStatus.SHIPMENT_STATUS_DELIVERED ? s : undefined;
        },
        "the parcel to be delivered after the restart",
        30_000,
      );
      assert.equal(new Set(delivered.timeline.map((e) => `${e.status}@${e.location}`)).size, 5);
    } finally {
      assert.equal(await svc.stop(), 0, svc.logs());
    }
  });
});

describe("the shipping process with EVENT_BUS=nats", { skip: await natsSkipReason() }, () => {
  test("relays the simulated journey's ShipmentStatusChanged events to NATS JetStream", async () => {
    const { BUS_DATABASE_URL: _postgresBus, ...base } = env(100);
    const svc = await startServiceProcess(serviceDir, {
      ...base,
      EVENT_BUS: "nats",
      NATS_URL: TEST_NATS_URL,
    });
    const nats = await createNatsBus({ servers: TEST_NATS_URL });
    const orderId = `ord-nats-${Date.now()}`;
    let delivered!: () => void;
    const arrived = new Promise<void>((resolve, reject) => {
      delivered = resolve;
      setTimeout(() => reject(new Error("DELIVERED never reached NATS")), 30_000).unref();
    });
    // One durable group across runs; the stream is shared, so it waits for this run's order only.
    const consumption = await nats.consume({
      group: "shipping-tests.process",
      types: ["toko.shipping.v1.ShipmentStatusChanged"],
      handler: async ({ envelope }) => {
        const change = ShipmentStatusChanged.decode(envelope.payload);
        if (change.orderId === orderId && change.status === ShipmentStatus.SHIPMENT_STATUS_DELIVERED)
          delivered();
      },
      retryDelayMs: () => 100,
    });
    try {
      await book(svc.grpcAddress, orderId);
      await arrived;
    } finally {
      await consumption.stop();
      await nats.close();
      assert.equal(await svc.stop(), 0, svc.logs());
    }
  });
});
