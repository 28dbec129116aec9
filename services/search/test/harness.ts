import { join } from "node:path";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { SearchServiceClient } from "@toko/contracts/toko/search/v1/search";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import {
  createClient,
  createEnvelope,
  createPostgresBus,
  type EventBus,
  protoEvent,
  uuidv7,
} from "@toko/kit";
import {
  createTestDatabase,
  runServiceScript,
  startServiceProcess,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { startSearch } from "../src/start.ts";

const services = join(import.meta.dirname, "..", "..");
const searchDir = join(import.meta.dirname, "..");

/** Products of the deterministic demo catalogue the suites index (the product service's seed). */
export const DEMO_PRODUCTS = 600;

/**
 * The search service in-process on a fresh database, the real product and user services as
 * processes (the catalog seeded with the demo marketplace), and a PostgreSQL bus they share.
 */
export async function startHarness() {
  const dbs = (await Promise.all([1, 2, 3, 4].map(() => createTestDatabase()))) as TestDatabase[];
  const [searchDb, productDb, userDb, busDb] = dbs as [
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
  ];
  const shared = { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET, BUS_DATABASE_URL: busDb.url };
  await runServiceScript(join(services, "product"), "src/seed.ts", {
    ...shared,
    DATABASE_URL: productDb.url,
    SEED_PRODUCTS: String(DEMO_PRODUCTS),
    // The demo catalogue is development-only data.
    TOKO_ENV: "development",
  });
  const ready = { readyTimeoutMs: 150_000 };
  const [product, user] = await Promise.all([
    startServiceProcess(
      join(services, "product"),
      { ...shared, DATABASE_URL: productDb.url, TOKO_USER_ADDR: "127.0.0.1:9" },
      ready,
    ),
    startServiceProcess(
      join(services, "user"),
      { ...shared, DATABASE_URL: userDb.url, TOKO_PUBLIC_ORIGIN: "http://localhost:8080" },
      ready,
    ),
  ]);
  const env = {
    ...shared,
    DATABASE_URL: searchDb.url,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_USER_ADDR: user.grpcAddress,
  };
  const config = readConfig({ ...env, GRPC_PORT: "0", OPS_PORT: "0", LOG_LEVEL: "silent" });
  const svc: TestService = await startTestService(() => startSearch(config));
  const bus: EventBus = await createPostgresBus({ url: busDb.url });
  const clients: { close(): void }[] = [];
  const productClient = createClient(ProductServiceClient, product.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
  });
  const users = createClient(UserServiceClient, user.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  clients.push(productClient, users);

  /** Publishes an event as its owning service would and waits until search handled it. */
  async function publish(envelope: ReturnType<typeof createEnvelope>) {
    await bus.publish([envelope]);
    await waitFor(async () => {
      const { rowCount } = await searchDb.pool.query("SELECT 1 FROM kit_inbox WHERE event_id = $1", [
        envelope.id,
      ]);
      return rowCount === 1;
    }, `search to handle ${envelope.type}`);
  }

  return {
    searchDb,
    productDb,
    product,
    user,
    svc,
    productClient,
    users,
    /** A search client as a guest, or acting as a user. */
    search: (userId?: string) =>
      svc.client(SearchServiceClient, userId ? { principal: testPrincipal(userId, ["buyer"]) } : {}),
    /** `npm run reindex -w @toko/search`, against this harness's databases. */
    reindex: () => runServiceScript(searchDir, "src/reindex.ts", env),
    async stock(shopId: string, sku: string, available: number) {
      const message = StockChanged.fromPartial({
        shopId,
        sku,
        available,
        onHand: available,
        occurredAt: new Date(),
      });
      await publish(
        createEnvelope(
          "inventory",
          protoEvent("toko.inventory.v1.StockChanged", `${shopId}/${sku}`, StockChanged, message),
        ),
      );
    },
    async orderCompleted(o: { checkoutId: string; buyerId: string; shopId: string; productIds: string[] }) {
      const orderId = uuidv7();
      const message = OrderCompleted.fromPartial({
        orderId,
        checkoutId: o.checkoutId,
        buyerId: o.buyerId,
        shopId: o.shopId,
        lines: o.productIds.map((productId) => ({
          lineId: uuidv7(),
          productId,
          variantId: uuidv7(),
          quantity: 1,
        })),
        completedAt: new Date(),
      });
      await publish(
        createEnvelope("order", protoEvent("toko.order.v1.OrderCompleted", orderId, OrderCompleted, message)),
      );
    },
    async stop() {
      for (const c of clients) c.close();
      await svc.stop();
      await bus.close();
      await Promise.all([product.stop(), user.stop()]);
      await Promise.all(dbs.map((d) => d.drop()));
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
