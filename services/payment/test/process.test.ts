import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { createClient } from "@toko/kit";
import {
  countRows,
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import {
  assertLedgerBalanced,
  BUYER,
  paymentRequest,
  signedNotification,
  startWebhookRelay,
  testEnv,
} from "./harness.ts";

// The real entry point, killed with SIGKILL at the two moments money could be lost: after the
// provider took the money but before Toko recorded it, and after Toko recorded it but before
// PaymentSucceeded reached the bus. Each restart finishes the job, once.
const serviceDir = join(import.meta.dirname, "..");
// No bus: events wait in the outbox.
const NO_BUS = { EVENT_BUS: "none" };

let db: TestDatabase;
let bus: TestDatabase;
let current: ServiceProcess | undefined;
let relay: Awaited<ReturnType<typeof startWebhookRelay>>;

before(async () => {
  [db, bus] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  relay = await startWebhookRelay(() => current?.grpcAddress ?? "");
});
after(async () => {
  await current?.kill();
  await relay.close();
  await Promise.all([db.drop(), bus.drop()]);
});

async function start(extra: Record<string, string>): Promise<ServiceProcess> {
  const env = { ...testEnv(db, bus, relay.url), LOG_LEVEL: "warn", ...extra };
  current = await startServiceProcess(serviceDir, env);
  return current;
}

const statusOf = async (id: string) =>
  (await db.pool.query<{ status: string }>("SELECT status FROM payments WHERE id = $1", [id])).rows[0]
    ?.status;

test("SIGKILL between the provider's success and the event's publication loses nothing and publishes once", async () => {
  // 1. Toko is unreachable for the provider: the sandbox keeps the success queued.
  relay.state.failNext = 1_000_000;
  let proc = await start(NO_BUS);
  const client = () =>
    createClient(PaymentServiceClient, proc.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  let c = client();
  const { payment } = await c.createPayment(paymentRequest(), {
    principal: testPrincipal("service:order", ["service"]),
  });
  assert.ok(payment);
  await c.simulatePayment({ paymentId: payment.id, outcome: "success" }, { principal: testPrincipal(BUYER) });
  await waitFor(() => relay.state.received > 0, "the sandbox's first attempt");
  c.close();
  await proc.kill();
  assert.equal(await statusOf(payment.id), "PENDING");
  assert.equal(
    await countRows(db.pool, "sandbox_deliveries", { payment_id: payment.id, status: "pending" }),
    1,
  );

  // 2. After a restart the queued notification is delivered; the success commits with its
  //    event in the outbox. Killed again before any bus could take the event.
  relay.state.failNext = 0;
  proc = await start(NO_BUS);
  await waitFor(async () => (await statusOf(payment.id)) === "SUCCEEDED", "the payment succeeded", 30_000);
  await proc.kill();
  const pending = await db.pool.query(
    "SELECT type FROM kit_outbox WHERE subject = $1 AND delivered_at IS NULL",
    [payment.id],
  );
  assert.deepEqual(pending.rows, [{ type: "toko.payment.v1.PaymentSucceeded" }]);

  // 3. Restarted with the bus: the relay publishes the waiting event. A provider retry of the
  //    same notification changes nothing.
  proc = await start({});
  c = client();
  const { rows } = await db.pool.query(
    "SELECT notification_id FROM sandbox_deliveries WHERE payment_id = $1",
    [payment.id],
  );
  const retry = signedNotification({ id: payment.id, amount: 150_000 }, { id: rows[0].notification_id });
  assert.equal((await c.receiveNotification({ provider: "sandbox", ...retry })).duplicate, true);
  await waitFor(
    async () => (await countRows(db.pool, "kit_outbox", { subject: payment.id, delivered_at: null })) === 0,
    "the outbox drained",
    30_000,
  );
  c.close();
  const published = await bus.pool.query("SELECT type, source FROM kit_bus_events WHERE subject = $1", [
    payment.id,
  ]);
  assert.deepEqual(published.rows, [{ type: "toko.payment.v1.PaymentSucceeded", source: "payment" }]);
  assert.equal(await countRows(db.pool, "ledger_transactions", { payment_id: payment.id }), 1);
  await assertLedgerBalanced(db.pool);
  assert.equal(await proc.stop(), 0);
  current = undefined;
});
