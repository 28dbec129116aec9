import { createHmac } from "node:crypto";
import { join } from "node:path";
import { NotificationServiceClient } from "@toko/contracts/toko/notification/v1/notification";
import {
  OrderAccepted,
  OrderCompleted,
  OrderDelivered,
  OrderPaid,
  OrderPlaced,
  OrderShipped,
} from "@toko/contracts/toko/order/v1/events";
import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import {
  createClient,
  createEnvelope,
  createPostgresBus,
  type EventBus,
  generateSealingKeys,
  protoEvent,
  uuidv7,
} from "@toko/kit";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { startNotification } from "../src/start.ts";
import { SmtpSink } from "./smtp-sink.ts";

const services = join(import.meta.dirname, "..", "..");

/** The key the payment service verifies provider notifications with (see `signedNotification`). */
export const PAYMENT_WEBHOOK_SECRET = "notification-test-webhook-secret-0123";

/**
 * A sandbox provider's notification as the gateway hands it to ReceiveNotification: the JSON
 * body and its signature headers (HMAC-SHA256 over "<unix seconds>.<body>").
 */
export function signedNotification(
  payment: { id: string; amount: number },
  event: "payment.succeeded" | "payment.failed",
  id = `ntf_${event}_${payment.id}`,
) {
  const rawBody = Buffer.from(
    JSON.stringify({
      id,
      payment_id: payment.id,
      reference: "sbx_test",
      event,
      amount: payment.amount,
      currency: "IDR",
      occurred_at: new Date().toISOString(),
    }),
  );
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", PAYMENT_WEBHOOK_SECRET)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest("hex");
  return {
    provider: "sandbox",
    rawBody,
    headers: { "x-sandbox-timestamp": String(timestamp), "x-sandbox-signature": `v1=${signature}` },
  };
}

type Envelope = ReturnType<typeof createEnvelope>;

/**
 * The notification service in-process on a fresh database, the real user and product services
 * as processes sharing a PostgreSQL bus with it, and a real SMTP server it sends to. The user
 * service seals tokens to a key pair made here, whose private half the notification service gets.
 */
export async function startHarness(env: Record<string, string> = {}, options: { payment?: boolean } = {}) {
  const dbs = (await Promise.all(
    [1, 2, 3, 4, ...(options.payment ? [5] : [])].map(() => createTestDatabase()),
  )) as TestDatabase[];
  const [notificationDb, userDb, productDb, busDb, paymentDb] = dbs as [
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase,
    TestDatabase | undefined,
  ];
  const keys = generateSealingKeys();
  const smtp = new SmtpSink();
  await smtp.start();
  const shared = { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET, BUS_DATABASE_URL: busDb.url };
  const ready = { readyTimeoutMs: 150_000 };
  const started = await Promise.allSettled([
    startServiceProcess(
      join(services, "user"),
      {
        ...shared,
        DATABASE_URL: userDb.url,
        TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
        TOKO_NOTIFICATION_PUBLIC_KEY: keys.publicKey,
      },
      ready,
    ),
    startServiceProcess(
      join(services, "product"),
      { ...shared, DATABASE_URL: productDb.url, TOKO_USER_ADDR: "127.0.0.1:9" },
      ready,
    ),
    ...(paymentDb
      ? [
          // Notifications reach it signed, straight through ReceiveNotification (PAYMENT_WEBHOOK_SECRET);
          // the sandbox's own deliveries (SimulatePayment) are not used.
          startServiceProcess(
            join(services, "payment"),
            {
              ...shared,
              DATABASE_URL: paymentDb.url,
              PAYMENT_WEBHOOK_URL: "http://127.0.0.1:9/api/v1/payments/webhooks/sandbox",
              PAYMENT_WEBHOOK_SECRET,
              TIMER_POLL_MS: "200",
            },
            ready,
          ),
        ]
      : []),
  ]);
  const [u, p, pay] = started;
  const abandon = async (error: unknown): Promise<never> => {
    for (const s of started) if (s.status === "fulfilled") await s.value.kill();
    await smtp.stop();
    await Promise.all(dbs.map((d) => d.drop()));
    throw error;
  };
  for (const s of started) if (s.status === "rejected") return abandon(s.reason);
  if (u?.status !== "fulfilled" || p?.status !== "fulfilled") return abandon(new Error("unreachable"));
  const [user, product] = [u.value, p.value];
  const payment = pay?.status === "fulfilled" ? pay.value : undefined;
  const notificationEnv = {
    DATABASE_URL: notificationDb.url,
    BUS_DATABASE_URL: busDb.url,
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_USER_ADDR: user.grpcAddress,
    TOKO_PRODUCT_ADDR: product.grpcAddress,
    TOKO_PAYMENT_ADDR: payment?.grpcAddress ?? "127.0.0.1:9",
    TOKO_PUBLIC_ORIGIN: "https://toko.test",
    TOKO_NOTIFICATION_PRIVATE_KEY: keys.privateKey,
    SMTP_URL: smtp.url,
    EMAIL_RETRY_MIN_MS: "200",
    EMAIL_RETRY_MAX_MS: "1000",
    SMS_RETRY_MIN_MS: "200",
    SMS_RETRY_MAX_MS: "1000",
    ...env,
  };
  const config = readConfig({ ...notificationEnv, GRPC_PORT: "0", OPS_PORT: "0", LOG_LEVEL: "silent" });
  let svc: TestService = await startTestService(() => startNotification(config)).catch(abandon);
  const bus: EventBus = await createPostgresBus({ url: busDb.url });
  const users = createClient(UserServiceClient, user.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  const products = createClient(ProductServiceClient, product.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
  });
  const payments = payment
    ? createClient(PaymentServiceClient, payment.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET })
    : undefined;
  let seq = 0;

  /** Waits until the notification service handled an event (its inbox row). */
  const handled = (id: string, label: string) =>
    waitFor(async () => {
      const { rowCount } = await notificationDb.pool.query("SELECT 1 FROM kit_inbox WHERE event_id = $1", [
        id,
      ]);
      return rowCount === 1;
    }, `the notification service to handle ${label}`);

  const h = {
    notificationDb,
    busDb,
    smtp,
    get svc() {
      return svc;
    },
    /** Stops the notification service, runs `between` (e.g. a change to the bus), starts it again. */
    async restart(between: () => Promise<void> = async () => {}) {
      await svc.stop();
      await between();
      svc = await startTestService(() => startNotification(config));
    },
    user,
    product,
    users,
    /** The payment service's client (a harness started with `payment: true`). */
    get payments() {
      if (!payments) throw new Error("the harness was started without the payment service");
      return payments;
    },
    keys,
    notificationEnv,
    /** A notification client acting as `id`. */
    client: (id: string, roles: string[] = ["buyer"]) =>
      svc.client(NotificationServiceClient, { principal: testPrincipal(id, roles) }),
    /** Registers a user through the user service (which publishes UserRegistered and a verification request). */
    async register(name: string, phone = ""): Promise<{ id: string; email: string }> {
      seq += 1;
      const email = `${name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")}-${seq}-${uuidv7().slice(-6)}@example.com`;
      const { user: created } = await users.register(
        { email, password: "correct horse battery", name, phone },
        { principal: null },
      );
      if (!created) throw new Error("Register answered without a user");
      return { id: created.id, email };
    },
    /** A shop owned by `ownerId`. */
    async openShop(ownerId: string): Promise<string> {
      seq += 1;
      const { shop } = await products.openShop(
        {
          name: `Toko ${seq}`,
          slug: `toko-${seq}-${uuidv7().slice(-8)}`,
          city: "Bandung",
          province: "Jawa Barat",
          description: "",
        },
        { principal: testPrincipal(ownerId, ["buyer", "seller"]) },
      );
      if (!shop) throw new Error("OpenShop answered without a shop");
      return shop.id;
    },
    /** Publishes envelopes as their services would and waits until each was handled. */
    async publish(...envelopes: Envelope[]) {
      await bus.publish(envelopes);
      for (const e of envelopes) await handled(e.id, e.type);
    },
    /** Publishes without waiting (the event is handled later, or its handling is watched otherwise). */
    async publishOnly(...envelopes: Envelope[]) {
      await bus.publish(envelopes);
    },
    /** Waits until nothing is pending: no due timers for deliveries or shops. */
    async settled() {
      await waitFor(
        async () => {
          const { rows } = await notificationDb.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM kit_timers WHERE kind LIKE 'notification.%'",
          );
          return Number(rows[0]?.n) === 0;
        },
        "every delivery to be done",
        60_000,
      ).catch(async (e) => {
        const { rows } = await notificationDb.pool.query(
          "SELECT kind, key, attempts, last_error FROM kit_timers WHERE kind LIKE 'notification.%' LIMIT 5",
        );
        throw new Error(`${(e as Error).message}: ${JSON.stringify(rows)}`);
      });
    },
    async stop() {
      users.close();
      products.close();
      payments?.close();
      await svc.stop();
      await bus.close();
      await Promise.all([user.stop(), product.stop(), payment?.stop()]);
      await smtp.stop();
      await Promise.all(dbs.map((d) => d.drop()));
    },
  };
  return h;
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
export type { ServiceProcess };

/** The events of one order's life, as the order service publishes them (subject = order id). */
export function orderLifecycle(o: { buyerId: string; shopId: string; orderId?: string }) {
  const orderId = o.orderId ?? uuidv7();
  const base = { orderId, checkoutId: uuidv7(), buyerId: o.buyerId, shopId: o.shopId };
  const lines = [
    {
      lineId: uuidv7(),
      productId: uuidv7(),
      variantId: uuidv7(),
      sku: "KAOS-M",
      quantity: 2,
      unitPrice: { amount: 75_000, currency: "IDR" },
    },
  ];
  const amounts = {
    subtotal: { amount: 150_000, currency: "IDR" },
    discount: { amount: 0, currency: "IDR" },
    shipping: { amount: 10_000, currency: "IDR" },
    serviceFee: { amount: 1_000, currency: "IDR" },
    total: { amount: 161_000, currency: "IDR" },
  };
  const ev = <T>(type: string, codec: { encode(m: T): { finish(): Uint8Array } }, message: T) =>
    createEnvelope("order", protoEvent(`toko.order.v1.${type}`, orderId, codec as never, message as never));
  const now = new Date();
  return {
    orderId,
    placed: ev(
      "OrderPlaced",
      OrderPlaced,
      OrderPlaced.fromPartial({
        ...base,
        lines,
        amounts,
        placedAt: now,
        payment: {
          paymentId: uuidv7(),
          method: "bank_transfer_va",
          channel: "bca",
          amount: { amount: 161_000, currency: "IDR" },
          expiresAt: new Date(now.getTime() + 86_400_000),
          instructions: { bank: "bca", vaNumber: "8808123456789012" },
        },
      }),
    ),
    paid: ev("OrderPaid", OrderPaid, OrderPaid.fromPartial({ ...base, lines, amounts, paidAt: now })),
    accepted: ev("OrderAccepted", OrderAccepted, OrderAccepted.fromPartial({ ...base, acceptedAt: now })),
    shipped: ev(
      "OrderShipped",
      OrderShipped,
      OrderShipped.fromPartial({
        ...base,
        shipmentId: uuidv7(),
        awb: "JNE0012345678",
        carrier: "jne",
        service: "REG",
        shippedAt: now,
      }),
    ),
    delivered: ev(
      "OrderDelivered",
      OrderDelivered,
      OrderDelivered.fromPartial({
        ...base,
        shipmentId: uuidv7(),
        deliveredAt: now,
        completeBy: new Date(now.getTime() + 3 * 86_400_000),
      }),
    ),
    completed: ev(
      "OrderCompleted",
      OrderCompleted,
      OrderCompleted.fromPartial({ ...base, lines, completedAt: now }),
    ),
  };
}
