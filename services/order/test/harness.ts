import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { OrderServiceClient } from "@toko/contracts/toko/order/v1/order";
import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { type ClientConstructor, createClient, type PromiseClient, uuidv7 } from "@toko/kit";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitForValue,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { startOrder } from "../src/start.ts";

const services = join(import.meta.dirname, "..", "..");
const READY = { readyTimeoutMs: 240_000 };

type Client = { close(): void };

/**
 * The order service in-process on a fresh database, with every service it calls as a real
 * process (user, product, inventory, cart, payment with its sandbox, shipping with its simulated
 * carrier) sharing one PostgreSQL bus, and a stand-in for the gateway's payment webhook route
 * (it hands the sandbox's notifications to payment.ReceiveNotification as the gateway does).
 */
export async function startHarness(
  env: Record<string, string> = {},
  orderEnv: Record<string, string> = {},
  options: { inProcess?: boolean } = {},
) {
  const names = ["order", "user", "product", "inventory", "cart", "payment", "shipping", "bus"] as const;
  const dbList = (await Promise.all(names.map(() => createTestDatabase()))) as TestDatabase[];
  const db = Object.fromEntries(names.map((n, i) => [n, dbList[i] as TestDatabase])) as Record<
    (typeof names)[number],
    TestDatabase
  >;
  const shared = {
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    BUS_DATABASE_URL: db.bus.url,
    EVENT_BUS: "postgres",
  };
  const processes: ServiceProcess[] = [];
  const clients: Client[] = [];
  let paymentsForWebhook: PromiseClient<PaymentServiceClient> | undefined;
  const webhook: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const client = paymentsForWebhook;
      if (!client) {
        res.writeHead(503).end();
        return;
      }
      client
        .receiveNotification(
          { provider: "sandbox", rawBody: Buffer.concat(chunks), headers },
          { principal: null },
        )
        .then(
          () => res.writeHead(200, { "content-type": "application/json" }).end("{}"),
          () => res.writeHead(401).end(),
        );
    });
  });
  await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", r));
  const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/sandbox`;
  const start = async (name: string, extra: Record<string, string>) => {
    const p = await startServiceProcess(
      join(services, name),
      { ...shared, DATABASE_URL: db[name as "user"].url, ...extra },
      READY,
    );
    processes.push(p);
    return p;
  };
  let order: TestService | undefined;
  const close = async () => {
    for (const c of clients) c.close();
    await order?.stop();
    await Promise.all(processes.map((p) => p.kill()));
    await new Promise((r) => webhook.close(r));
    await Promise.all(dbList.map((d) => d.drop()));
  };
  try {
    const [user, shipping, payment] = await Promise.all([
      start("user", { TOKO_PUBLIC_ORIGIN: "http://localhost:8080" }),
      start("shipping", {
        TOKO_ENV: "development",
        SHIPPING_SIMULATOR: "true",
        SHIPPING_SIMULATOR_STEP_MS: "300",
      }),
      start("payment", {
        PAYMENT_WEBHOOK_URL: webhookUrl,
        PAYMENT_WEBHOOK_SECRET: "order-test-webhook-secret-0123456789",
        SANDBOX_RETRY_MIN_MS: "100",
        SANDBOX_RETRY_MAX_MS: "500",
        TIMER_POLL_MS: "200",
        ...env,
      }),
    ]);
    const product = await start("product", { TOKO_USER_ADDR: user.grpcAddress });
    const [inventory, cart] = await Promise.all([
      start("inventory", { TOKO_PRODUCT_ADDR: product.grpcAddress }),
      start("cart", {
        TOKO_PRODUCT_ADDR: product.grpcAddress,
        TOKO_USER_ADDR: user.grpcAddress,
        TOKO_SHIPPING_ADDR: shipping.grpcAddress,
      }),
    ]);
    const mk = <C extends grpc.Client>(ctor: ClientConstructor<C>, address: string): PromiseClient<C> => {
      // A loaded machine can take seconds per call when many tests run at once.
      const c = createClient(ctor, address, { internalSecret: TEST_INTERNAL_SECRET, deadlineMs: 30_000 });
      clients.push(c);
      return c;
    };
    const users = mk(UserServiceClient, user.grpcAddress);
    const products = mk(ProductServiceClient, product.grpcAddress);
    const stock = mk(InventoryServiceClient, inventory.grpcAddress);
    const carts = mk(CartServiceClient, cart.grpcAddress);
    const payments = mk(PaymentServiceClient, payment.grpcAddress);
    paymentsForWebhook = payments;
    const orderVars = {
      DATABASE_URL: db.order.url,
      BUS_DATABASE_URL: db.bus.url,
      EVENT_BUS: "postgres",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      TOKO_CART_ADDR: cart.grpcAddress,
      TOKO_PRODUCT_ADDR: product.grpcAddress,
      TOKO_INVENTORY_ADDR: inventory.grpcAddress,
      TOKO_PAYMENT_ADDR: payment.grpcAddress,
      TOKO_SHIPPING_ADDR: shipping.grpcAddress,
      TOKO_USER_ADDR: user.grpcAddress,
      ...orderEnv,
    };
    const config = readConfig({
      ...orderVars,
      GRPC_PORT: "0",
      OPS_PORT: "0",
      LOG_LEVEL: orderEnv.LOG_LEVEL ?? "silent",
    });
    order = options.inProcess === false ? undefined : await startTestService(() => startOrder(config));
    const svc = order;
    const byName = { user, shipping, payment, product, inventory, cart } as Record<string, ServiceProcess>;
    let seq = 0;
    const seller = (id: string) => ({ principal: testPrincipal(id, ["buyer", "seller"]) });
    const buyerOf = (id: string) => ({ principal: testPrincipal(id, ["buyer"]) });

    const h = {
      db,
      config,
      processes: { user, shipping, payment, product, inventory, cart },
      users,
      products,
      stock,
      carts,
      payments,
      close,
      /** An order client acting as `id`. */
      /** An order client acting as `id`; `deadlineMs` for calls that may queue behind many others. */
      orders: (id: string, roles = ["buyer"], deadlineMs?: number) => {
        if (!svc) throw new Error("the harness runs no in-process order service");
        return svc.client(OrderServiceClient, { principal: testPrincipal(id, roles), deadlineMs });
      },
      /** The order service as a process of its own (so a test can SIGKILL it). */
      async orderProcess(extra: Record<string, string> = {}) {
        const p = await startServiceProcess(join(services, "order"), { ...orderVars, ...extra }, READY);
        processes.push(p);
        return p;
      },
      /** Kills a dependency with SIGKILL and returns a function that starts it again on the same ports. */
      async crash(name: "payment" | "inventory") {
        const p = byName[name] as ServiceProcess;
        await p.kill();
        return async () => {
          const again = await startServiceProcess(join(services, name), p.env, READY);
          processes.push(again);
          byName[name] = again;
          return again;
        };
      },
      seller,
      buyerOf,
      /** A shop in `city` with one product of `prices.length` variants and `units` of each in stock. */
      async newShop(units: number, prices: number[] = [50_000], city = "Bandung") {
        seq += 1;
        const owner = (
          await users.register(
            {
              email: `seller-${uuidv7()}@example.com`,
              password: "correct horse battery",
              name: `Seller ${seq}`,
              phone: "+6281100001111",
            },
            { principal: null },
          )
        ).user?.id as string;
        const { shop } = await products.openShop(
          {
            name: `Toko ${seq}`,
            slug: `toko-${seq}-${uuidv7().slice(-8)}`,
            city,
            province: "Jawa Barat",
            description: "",
          },
          seller(owner),
        );
        if (!shop) throw new Error("OpenShop answered without a shop");
        const { categories } = await products.listCategories({}, { principal: null });
        let leaf = categories[0];
        while (leaf && leaf.children.length > 0) leaf = leaf.children[0];
        const { product: created } = await products.createProduct(
          {
            title: `Produk ${seq}`,
            description: "Barang bagus",
            categoryId: leaf?.id ?? "",
            condition: 1,
            weightGrams: 400,
            lengthCm: 20,
            widthCm: 10,
            heightCm: 5,
            minOrder: 1,
            images: ["https://img.example/p.jpg"],
            attributes: [],
            variants: prices.map((price, i) => ({
              sku: `SKU-${seq}-${i}`,
              options: [{ name: "Varian", value: `V${i}` }],
              price: { amount: price, currency: "IDR" },
            })),
            status: ProductStatus.PRODUCT_STATUS_ACTIVE,
          },
          seller(owner),
        );
        if (!created) throw new Error("CreateProduct answered without a product");
        const { warehouse } = await stock.createWarehouse(
          { name: "Gudang", address: "Jl. Gudang 1", city, province: "Jawa Barat", isDefault: true },
          seller(owner),
        );
        if (!warehouse) throw new Error("CreateWarehouse answered without a warehouse");
        for (const v of created.variants) {
          if (units > 0)
            await stock.adjustStock(
              { sku: v.sku, warehouseId: warehouse.id, delta: units, reason: "stock count", isReturn: false },
              seller(owner),
            );
        }
        return {
          owner,
          shop,
          categoryId: leaf?.id ?? "",
          warehouseId: warehouse.id,
          variantIds: created.variants.map((v) => v.id),
          skus: created.variants.map((v) => v.sku),
        };
      },
      /** A registered buyer with a default address in `city`. */
      async newBuyer(city = "Jakarta Selatan") {
        seq += 1;
        const id = (
          await users.register(
            {
              email: `buyer-${uuidv7()}@example.com`,
              password: "correct horse battery",
              name: `Buyer ${seq}`,
              phone: "",
            },
            { principal: null },
          )
        ).user?.id as string;
        const { address } = await users.createAddress(
          {
            label: "Rumah",
            isDefault: true,
            address: {
              recipient: "Budi",
              phone: "+6281234567890",
              street: "Jl. Merdeka 1",
              district: "Kebayoran Baru",
              city,
              province: "DKI Jakarta",
              postalCode: "12110",
            },
          },
          buyerOf(id),
        );
        if (!address) throw new Error("CreateAddress answered without an address");
        return { id, addressId: address.id };
      },
      /**
       * `n` buyers, each with a default address in `city`, written straight into the user
       * database: registering hashes a password (argon2id), which for hundreds of buyers would
       * take minutes on a small machine. They cannot sign in (the hash is no PHC string); tests
       * act as them with a signed principal, as the gateway would after sign-in.
       */
      async seedBuyers(n: number, city = "Jakarta Selatan") {
        const buyers = Array.from({ length: n }, () => ({ id: uuidv7(), addressId: uuidv7() }));
        const ids = buyers.map((b) => b.id);
        await db.user.pool.query(
          `INSERT INTO users (id, email, name, password_hash)
           SELECT u, 'buyer-' || u || '@example.com', 'Buyer', '!no-sign-in' FROM unnest($1::uuid[]) AS u`,
          [ids],
        );
        await db.user.pool.query(
          `INSERT INTO addresses (id, user_id, label, recipient, phone, street, district, city, province,
                                  postal_code, is_default)
           SELECT a, u, 'Rumah', 'Budi', '+6281234567890', 'Jl. Merdeka 1', 'Kebayoran Baru', $3,
                  'DKI Jakarta', '12110', true
             FROM unnest($1::uuid[], $2::uuid[]) AS t (u, a)`,
          [ids, buyers.map((b) => b.addressId), city],
        );
        return buyers;
      },
      /** Puts variants in the buyer's cart and picks the cheapest courier per shop. */
      async fill(buyer: { id: string; addressId: string }, lines: { variantId: string; quantity: number }[]) {
        for (const l of lines)
          await carts.addItem(
            { ref: undefined, variantId: l.variantId, quantity: l.quantity },
            buyerOf(buyer.id),
          );
        const { shops } = await carts.getShippingOptions({ addressId: buyer.addressId }, buyerOf(buyer.id));
        return shops.map((s) => ({ shopId: s.shopId, optionId: s.options[0]?.id ?? "" }));
      },
      /** The SKU's stock levels (as the seller sees them). */
      async level(owner: string, sku: string) {
        const { levels } = await stock.listStockLevels({ sku, page: undefined }, seller(owner));
        const l = levels[0];
        return {
          onHand: Number(l?.onHand ?? 0),
          reserved: Number(l?.reserved ?? 0),
          available: Number(l?.available ?? 0),
        };
      },
      /** Waits until the order reaches `status`. */
      async until(buyerId: string, orderId: string, status: string) {
        return waitForValue(
          async () => {
            const { order: o } = await h.orders(buyerId).getOrder({ orderId });
            return o?.status === status ? o : undefined;
          },
          `order ${orderId} to be ${status}`,
          60_000,
        );
      },
    };
    return h;
  } catch (error) {
    await close();
    throw error;
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
