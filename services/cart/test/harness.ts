import { join } from "node:path";
import {
  CartServiceClient,
  type CreateVoucherRequest,
  VoucherKind,
  VoucherScope,
} from "@toko/contracts/toko/cart/v1/cart";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { OrderCancelled, OrderPaid } from "@toko/contracts/toko/order/v1/events";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
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
  type ServiceProcess,
  startServiceProcess,
  startShippingDouble,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { startCart } from "../src/start.ts";

const services = join(import.meta.dirname, "..", "..");

/** A clock tests can pin and move; follows real time while unpinned. */
export class TestClock {
  pinned: number | undefined;
  now = (): Date => new Date(this.pinned ?? Date.now());
}

/**
 * The cart service in-process on a fresh database, with the real product and user services as
 * processes, a real PostgreSQL bus they share, and a test double of the shipping service.
 */
export async function startHarness(env: Record<string, string> = {}, options: { inventory?: boolean } = {}) {
  const [cartDb, productDb, userDb, busDb] = (await Promise.all([
    createTestDatabase(),
    createTestDatabase(),
    createTestDatabase(),
    createTestDatabase(),
  ])) as [TestDatabase, TestDatabase, TestDatabase, TestDatabase];
  const dbs = [cartDb, productDb, userDb, busDb];
  const shared = { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET, BUS_DATABASE_URL: busDb.url };
  // Generous readiness: the suites start several processes at once on a small shared machine.
  const ready = { readyTimeoutMs: 150_000 };
  const started = await Promise.allSettled([
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
    startShippingDouble(),
  ]);
  const [p, u, s] = started;
  /** Stops whatever did start, so a failed start leaves nothing running. */
  const abandon = async (error: unknown): Promise<never> => {
    if (p.status === "fulfilled") await p.value.kill();
    if (u.status === "fulfilled") await u.value.kill();
    if (s.status === "fulfilled") await s.value.close();
    await Promise.all(dbs.map((d) => d.drop()));
    throw error;
  };
  if (p.status === "rejected") return abandon(p.reason);
  if (u.status === "rejected") return abandon(u.reason);
  if (s.status === "rejected") return abandon(s.reason);
  const [product, user, shipping] = [p.value, u.value, s.value];
  // The real inventory process, on a bus of its own: the cart never sees its StockChanged, so
  // whatever stock the cart knows it read through GetAvailability. Without it, nothing listens
  // at the address (port 9 refuses) and stock stays unknown until a test publishes StockChanged.
  let inventory: ServiceProcess | undefined;
  if (options.inventory) {
    const [inventoryDb, inventoryBusDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    dbs.push(inventoryDb, inventoryBusDb);
    inventory = await startServiceProcess(
      join(services, "inventory"),
      {
        TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
        BUS_DATABASE_URL: inventoryBusDb.url,
        DATABASE_URL: inventoryDb.url,
        TOKO_PRODUCT_ADDR: product.grpcAddress,
      },
      ready,
    ).catch(abandon);
  }
  const clock = new TestClock();
  const config = readConfig({
    DATABASE_URL: cartDb.url,
    BUS_DATABASE_URL: busDb.url,
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_USER_ADDR: user.grpcAddress,
    TOKO_SHIPPING_ADDR: shipping.address,
    TOKO_INVENTORY_ADDR: inventory?.grpcAddress ?? "127.0.0.1:9",
    CART_MAX_LINE_QUANTITY: "50",
    CART_SERVICE_FEE: "1000",
    ...env,
  });
  const svc: TestService = await startTestService(() => startCart(config, { now: clock.now })).catch(abandon);
  const bus: EventBus = await createPostgresBus({ url: busDb.url });
  const clients: { close(): void }[] = [];
  const productAs = (id: string, roles = ["buyer", "seller"]) => {
    const c = createClient(ProductServiceClient, product.grpcAddress, {
      internalSecret: TEST_INTERNAL_SECRET,
    });
    clients.push(c);
    return { client: c, principal: testPrincipal(id, roles) };
  };
  const users = createClient(UserServiceClient, user.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  clients.push(users);
  let seq = 0;

  /** Publishes an event as its owning service would and waits until the cart handled it. */
  async function publish(envelope: ReturnType<typeof createEnvelope>) {
    await bus.publish([envelope]);
    await waitFor(async () => {
      const { rowCount } = await cartDb.pool.query("SELECT 1 FROM kit_inbox WHERE event_id = $1", [
        envelope.id,
      ]);
      return rowCount === 1;
    }, `the cart to handle ${envelope.type}`);
  }

  const h = {
    cartDb,
    clock,
    svc,
    shipping,
    product,
    /** A cart client acting as `id` (a buyer; scopes default to the roles), or a guest without one. */
    cart: (id?: string, roles: string[] = ["buyer"], scopes: string[] = roles) =>
      svc.client(CartServiceClient, id ? { principal: testPrincipal(id, roles, scopes) } : {}),
    /** A registered user (the user service knows them: addresses need it). */
    async newUser(): Promise<string> {
      seq += 1;
      const { user: u } = await users.register(
        {
          email: `buyer-${uuidv7()}@example.com`,
          password: "correct horse battery",
          name: `Buyer ${seq}`,
          phone: "",
        },
        { principal: null },
      );
      if (!u) throw new Error("Register answered without a user");
      return u.id;
    },
    async newAddress(userId: string, city: string): Promise<string> {
      const { address } = await users.createAddress(
        {
          label: "Rumah",
          isDefault: true,
          address: {
            recipient: "Budi",
            phone: "+6281234567890",
            street: "Jl. Merdeka 1",
            district: "Sumur Bandung",
            city,
            province: "Jawa Barat",
            postalCode: "40111",
          },
        },
        { principal: testPrincipal(userId) },
      );
      if (!address) throw new Error("CreateAddress answered without an address");
      return address.id;
    },
    /** A seller with an open shop in `city` and one active product with the given variant prices. */
    async newShop(city = "Bandung", prices: number[] = [50_000], extra: { minOrder?: number } = {}) {
      seq += 1;
      const owner = `seller-${uuidv7()}`;
      const p = productAs(owner);
      const { shop } = await p.client.openShop(
        {
          name: `Toko ${seq}`,
          slug: `toko-${seq}-${uuidv7().slice(-8)}`,
          city,
          province: "Jawa Barat",
          description: "",
        },
        { principal: p.principal },
      );
      if (!shop) throw new Error("OpenShop answered without a shop");
      const { categories } = await p.client.listCategories({}, { principal: null });
      let leaf = categories[0];
      while (leaf && leaf.children.length > 0) leaf = leaf.children[0];
      const { product: created } = await p.client.createProduct(
        {
          title: `Produk ${seq}`,
          description: "Barang bagus",
          categoryId: leaf?.id ?? "",
          condition: 1,
          weightGrams: 400,
          lengthCm: 20,
          widthCm: 10,
          heightCm: 5,
          minOrder: extra.minOrder ?? 1,
          images: ["https://img.example/p.jpg"],
          attributes: [],
          variants: prices.map((price, i) => ({
            sku: `SKU-${seq}-${i}`,
            options: [{ name: "Varian", value: `V${i}` }],
            price: { amount: price, currency: "IDR" },
          })),
          status: ProductStatus.PRODUCT_STATUS_ACTIVE,
        },
        { principal: p.principal },
      );
      if (!created) throw new Error("CreateProduct answered without a product");
      return {
        owner,
        shop,
        product: created,
        variantIds: created.variants.map((v) => v.id),
        skus: created.variants.map((v) => v.sku),
        catalog: p,
      };
    },
    /** Puts `units` of a shop SKU on hand in the real inventory (started with `inventory: true`). */
    async stockUp(owner: string, sku: string, units: number) {
      if (!inventory) throw new Error("the harness was started without inventory");
      const c = createClient(InventoryServiceClient, inventory.grpcAddress, {
        internalSecret: TEST_INTERNAL_SECRET,
      });
      clients.push(c);
      const as = { principal: testPrincipal(owner, ["buyer", "seller"]) };
      const { warehouses } = await c.listWarehouses({ page: undefined }, as);
      let warehouse = warehouses[0];
      if (!warehouse) {
        const created = await c.createWarehouse(
          {
            name: "Gudang",
            address: "Jl. Asia Afrika 1",
            city: "Bandung",
            province: "Jawa Barat",
            isDefault: true,
          },
          as,
        );
        warehouse = created.warehouse;
      }
      await c.adjustStock(
        { sku, warehouseId: warehouse?.id ?? "", delta: units, reason: "stok awal", isReturn: false },
        as,
      );
    },
    /** StockChanged as inventory publishes it. */
    async stock(shopId: string, sku: string, available: number) {
      const message = StockChanged.fromPartial({
        shopId,
        sku,
        available,
        onHand: available,
        reserved: 0,
        reorderPoint: 0,
        occurredAt: new Date(),
      });
      await publish(
        createEnvelope(
          "inventory",
          protoEvent("toko.inventory.v1.StockChanged", `${shopId}/${sku}`, StockChanged, message),
        ),
      );
    },
    /** OrderPaid as the order service will publish it. */
    async orderPaid(o: {
      checkoutId: string;
      buyerId: string;
      shopId: string;
      lines: { variantId: string; quantity: number }[];
      voucherCodes: string[];
    }) {
      const orderId = uuidv7();
      const message = OrderPaid.fromPartial({
        ...o,
        orderId,
        lines: o.lines.map((l) => ({ ...l, lineId: uuidv7() })),
        paidAt: new Date(),
      });
      await publish(
        createEnvelope("order", protoEvent("toko.order.v1.OrderPaid", orderId, OrderPaid, message)),
      );
    },
    /** OrderCancelled as the order service will publish it. */
    async orderCancelled(o: { checkoutId: string; buyerId: string; shopId: string; voucherCodes: string[] }) {
      const orderId = uuidv7();
      const message = OrderCancelled.fromPartial({
        ...o,
        orderId,
        reason: "PAYMENT_EXPIRED",
        cancelledAt: new Date(),
      });
      await publish(
        createEnvelope("order", protoEvent("toko.order.v1.OrderCancelled", orderId, OrderCancelled, message)),
      );
    },
    /** A voucher request with defaults (valid for a day from now, no limits). */
    voucher(over: Partial<CreateVoucherRequest>): CreateVoucherRequest {
      const now = clock.now().getTime();
      return {
        code: `V${uuidv7().replaceAll("-", "").slice(-10).toUpperCase()}`,
        scope: VoucherScope.VOUCHER_SCOPE_PLATFORM,
        kind: VoucherKind.VOUCHER_KIND_FIXED,
        percentOff: 0,
        amount: { amount: 10_000, currency: "IDR" },
        maxDiscount: undefined,
        minSpend: { amount: 0, currency: "IDR" },
        startsAt: new Date(now - 60_000),
        endsAt: new Date(now + 86_400_000),
        totalLimit: 0,
        perUserLimit: 0,
        ...over,
      };
    },
    async stop() {
      for (const c of clients) c.close();
      await svc.stop();
      await bus.close();
      await inventory?.stop();
      await Promise.all([product.stop(), user.stop(), shipping.close()]);
      await Promise.all(dbs.map((d) => d.drop()));
    },
  };
  return h;
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
export type { ServiceProcess };
