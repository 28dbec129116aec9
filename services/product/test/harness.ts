import assert from "node:assert/strict";
import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import {
  type CreateProductRequest,
  ProductCondition,
  ProductServiceClient,
} from "@toko/contracts/toko/product/v1/product";
import {
  createEnvelope,
  createPostgresBus,
  decodeEnvelope,
  type EventBus,
  type EventEnvelope,
  protoEvent,
  uuidv7,
} from "@toko/kit";
import {
  createTestDatabase,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { startProduct } from "../src/start.ts";

/** A clock tests can pin and move; follows real time while unpinned. */
export class TestClock {
  pinned: number | undefined;
  now = (): Date => new Date(this.pinned ?? Date.now());
}

/**
 * The product service on a fresh database with a real PostgreSQL bus. `roles` records the
 * seller grants (the real user service is exercised in shop-seller.test.ts).
 */
export async function startHarness(options: { userAddr?: string; useRealUsers?: boolean } = {}) {
  const db: TestDatabase = await createTestDatabase();
  const busDb: TestDatabase = await createTestDatabase();
  const clock = new TestClock();
  const granted: string[] = [];
  const config = readConfig({
    DATABASE_URL: db.url,
    BUS_DATABASE_URL: busDb.url,
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_USER_ADDR: options.userAddr ?? "127.0.0.1:1",
  });
  const roles = options.useRealUsers
    ? undefined
    : { grantSeller: async (id: string) => void granted.push(id) };
  const svc: TestService = await startTestService(() => startProduct(config, { now: clock.now, roles }));
  const bus: EventBus = await createPostgresBus({ url: busDb.url });
  const anonymous = svc.client(ProductServiceClient);
  const as = (id: string, roles: string[] = ["buyer"]) =>
    svc.client(ProductServiceClient, { principal: testPrincipal(id, roles) });
  let seq = 0;
  return {
    db,
    clock,
    svc,
    bus,
    granted,
    anonymous,
    as,
    /** A user with an open shop and a client acting as them. */
    async newSeller(name = "Toko") {
      seq += 1;
      const id = `seller-${uuidv7()}`;
      const client = as(id, ["buyer", "seller"]);
      const slug = `toko-${seq}-${Math.random().toString(36).slice(2, 8)}`;
      const { shop } = await client.openShop({
        name: `${name} ${seq}`,
        slug,
        city: "Bandung",
        province: "Jawa Barat",
        description: "",
      });
      assert.ok(shop);
      return { id, client, shop };
    },
    /** Publishes an OrderCompleted on the bus as the order service would. */
    async completeOrder(
      buyerId: string,
      shopId: string,
      lines: { productId: string; variantId: string; quantity?: number }[],
    ) {
      const orderId = `ord-${uuidv7()}`;
      const message = OrderCompleted.fromPartial({
        orderId,
        checkoutId: `chk-${orderId}`,
        buyerId,
        shopId,
        completedAt: new Date(),
        lines: lines.map((l, i) => ({
          lineId: `L${i + 1}`,
          productId: l.productId,
          variantId: l.variantId,
          sku: "",
          quantity: l.quantity ?? 1,
          unitPrice: { amount: 1000, currency: "IDR" },
        })),
      });
      const envelope = createEnvelope(
        "order",
        protoEvent("toko.order.v1.OrderCompleted", orderId, OrderCompleted, message),
      );
      await bus.publish([envelope]);
      // Wait until the consumer recorded it (its inbox row commits with the purchase rows).
      await eventually(async () => {
        const { rowCount } = await db.pool.query("SELECT 1 FROM kit_inbox WHERE event_id = $1", [
          envelope.id,
        ]);
        return rowCount === 1;
      });
      return { orderId, envelope };
    },
    /** Envelopes in the outbox of one type, oldest first. */
    async outbox(type: string): Promise<EventEnvelope[]> {
      const { rows } = await db.pool.query<{ envelope: Buffer }>(
        "SELECT envelope FROM kit_outbox WHERE type = $1 ORDER BY id",
        [type],
      );
      return rows.map((r) => decodeEnvelope(r.envelope));
    },
    async stop() {
      await bus.close();
      await svc.stop();
      await db.drop();
      await busDb.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Polls `check` until it holds (a condition wait, not a timing assertion). */
export const eventually = (check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> =>
  waitFor(check, "the condition", timeoutMs);

/** A valid product: a t-shirt in two sizes. */
export function tshirt(skuPrefix: string, over: Partial<CreateProductRequest> = {}): CreateProductRequest {
  return {
    title: "Kaos Polos Katun Combed 30s",
    description: "Kaos polos bahan adem",
    categoryId: "",
    condition: ProductCondition.PRODUCT_CONDITION_NEW,
    weightGrams: 200,
    lengthCm: 30,
    widthCm: 25,
    heightCm: 2,
    minOrder: 1,
    images: ["https://img.toko.dev/kaos.jpg"],
    attributes: [{ name: "Bahan", value: "Katun" }],
    variants: [
      {
        sku: `${skuPrefix}-M`,
        options: [{ name: "Ukuran", value: "M" }],
        price: { amount: 59_000, currency: "IDR" },
      },
      {
        sku: `${skuPrefix}-L`,
        options: [{ name: "Ukuran", value: "L" }],
        price: { amount: 65_000, currency: "IDR" },
      },
    ],
    status: 0,
    ...over,
  };
}
