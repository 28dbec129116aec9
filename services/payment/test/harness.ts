import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CreatePaymentRequest,
  type Payment,
  PaymentServiceClient,
} from "@toko/contracts/toko/payment/v1/payment";
import { createClient, DomainError } from "@toko/kit";
import {
  createTestDatabase,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
  waitForValue,
} from "@toko/testing";
import type pg from "pg";
import { loadPaymentConfig } from "../src/config.ts";
import { signedHeaders } from "../src/infrastructure/sandbox/signing.ts";
import { startPayment } from "../src/start.ts";

export const WEBHOOK_SECRET = "payment-test-webhook-secret-0123456789";
export const BUYER = "buyer-1";
const statusOf = (error: unknown): number =>
  error instanceof DomainError
    ? ({ unauthenticated: 401, not_found: 404, invalid: 422 }[error.kind as string] ?? 409)
    : 500;

/**
 * Stands in for the gateway's webhook route: hands the raw body and headers to
 * ReceiveNotification and answers like the gateway (200, 401, …). `failNext` makes it answer 503
 * that many times first, as an unavailable Toko would.
 */
export async function startWebhookRelay(grpcAddress: () => string) {
  let client: ReturnType<typeof createClient<PaymentServiceClient>> | undefined;
  let address = "";
  const state = { failNext: 0, received: 0, answers: [] as number[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      state.received++;
      let status = 200;
      if (state.failNext > 0) {
        state.failNext--;
        status = 503;
      } else {
        if (address !== grpcAddress()) {
          client?.close();
          address = grpcAddress();
          client = createClient(PaymentServiceClient, address, { internalSecret: TEST_INTERNAL_SECRET });
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
        );
        try {
          await client?.receiveNotification({ provider: "sandbox", rawBody: Buffer.concat(chunks), headers });
        } catch (error) {
          status = statusOf(error);
        }
      }
      state.answers.push(status);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/payments/webhooks/sandbox`,
    state,
    async close() {
      client?.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Payment service env for tests (the bus is a database of its own). */
export function testEnv(db: TestDatabase, bus: TestDatabase, webhookUrl: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    EVENT_BUS: "postgres",
    BUS_DATABASE_URL: bus.url,
    LOG_LEVEL: "silent",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_PUBLIC_ORIGIN: "http://toko.test",
    PAYMENT_WEBHOOK_URL: webhookUrl,
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SANDBOX_RETRY_MIN_MS: "50",
    SANDBOX_RETRY_MAX_MS: "200",
    SANDBOX_DELIVERY_TIMEOUT_MS: "2000",
    TIMER_POLL_MS: "100",
  };
}

/** The payment service on a fresh database, a webhook relay, and clients for each caller. */
export async function startHarness(env: Record<string, string> = {}) {
  const [db, bus] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  let svc: TestService | undefined;
  const relay = await startWebhookRelay(() => svc?.grpcAddress ?? "");
  const config = loadPaymentConfig({ ...testEnv(db, bus, relay.url), GRPC_PORT: "0", OPS_PORT: "0", ...env });
  svc = await startTestService(() => startPayment(config));
  const service = testPrincipal("service:order", ["service"]);
  return {
    db,
    relay,
    svc,
    order: svc.client(PaymentServiceClient, { principal: service }),
    buyer: svc.client(PaymentServiceClient, { principal: testPrincipal(BUYER) }),
    stranger: svc.client(PaymentServiceClient, { principal: testPrincipal("buyer-2") }),
    admin: svc.client(PaymentServiceClient, { principal: testPrincipal("admin-1", ["admin"]) }),
    anonymous: svc.client(PaymentServiceClient),
    async stop() {
      await svc?.stop();
      await relay.close();
      await Promise.all([db.drop(), bus.drop()]);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

let checkouts = 0;

/** A CreatePayment request for BUYER: two orders of two shops, expiring in an hour. */
export function paymentRequest(overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  checkouts++;
  return {
    checkoutId: `chk-${process.pid}-${checkouts}-${Date.now()}`,
    payerId: BUYER,
    amount: { amount: 150_000, currency: "IDR" },
    method: "bank_transfer_va",
    channel: "bca",
    expiresAt: new Date(Date.now() + 3600_000),
    allocations: [
      {
        orderId: "ord-a",
        shopId: "shop-a",
        amount: { amount: 100_000, currency: "IDR" },
        commission: { amount: 5_000, currency: "IDR" },
      },
      {
        orderId: "ord-b",
        shopId: "shop-b",
        amount: { amount: 50_000, currency: "IDR" },
        commission: { amount: 2_500, currency: "IDR" },
      },
    ],
    ...overrides,
  };
}

/** A notification body and the sandbox's signed headers for it, as the provider would send. */
export function signedNotification(
  payment: { id: string; amount: number },
  options: { id?: string; event?: string; at?: Date; secret?: string } = {},
) {
  const body = Buffer.from(
    JSON.stringify({
      id: options.id ?? `ntf_${payment.id}`,
      payment_id: payment.id,
      reference: "sbx_test",
      event: options.event ?? "payment.succeeded",
      amount: payment.amount,
      currency: "IDR",
      occurred_at: new Date().toISOString(),
    }),
  );
  return {
    rawBody: body,
    headers: signedHeaders(options.secret ?? WEBHOOK_SECRET, body, options.at ?? new Date()),
  };
}

/** Waits until the payment reaches `status` (notifications are asynchronous). */
export function waitForStatus(h: Harness, id: string, status: string): Promise<Payment> {
  return waitForValue(async () => {
    const { payment } = await h.buyer.getPayment({ paymentId: id });
    return payment?.status === status ? payment : undefined;
  }, `payment ${id} ${status}`);
}

/** Event types in the outbox for one payment, in order. */
export async function outboxTypes(pool: pg.Pool, paymentId: string): Promise<string[]> {
  const { rows } = await pool.query<{ type: string }>(
    "SELECT type FROM kit_outbox WHERE subject = $1 ORDER BY id",
    [paymentId],
  );
  return rows.map((r) => r.type.replace("toko.payment.v1.", ""));
}

/** Asserts every ledger transaction (and so the whole ledger) sums to zero. */
export async function assertLedgerBalanced(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query(
    "SELECT transaction_id, sum(amount)::bigint AS net FROM ledger_postings GROUP BY 1 HAVING sum(amount) <> 0",
  );
  assert.deepEqual(rows, [], "every ledger transaction balances");
}

/** Balance of one account over one payment's ledger transactions. */
export async function accountBalance(pool: pg.Pool, paymentId: string, account: string): Promise<number> {
  const { rows } = await pool.query<{ balance: number | null }>(
    `SELECT sum(p.amount)::bigint AS balance FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
     WHERE t.payment_id = $1 AND p.account = $2`,
    [paymentId, account],
  );
  return Number(rows[0]?.balance ?? 0);
}
