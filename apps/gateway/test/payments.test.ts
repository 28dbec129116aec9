import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { createClient } from "@toko/kit";
import {
  createTestDatabase,
  freePort,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitForValue,
} from "@toko/testing";
import { paymentsModule } from "../src/routes/payments/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Payments through the real gateway over HTTP, to the real payment process over gRPC and
// PostgreSQL; the sandbox provider calls back into the gateway's webhook route.
const services = join(import.meta.dirname, "..", "..", "..", "services");
const WEBHOOK_SECRET = "gateway-test-webhook-secret-0123456789";
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let payment: ServiceProcess;
let gateway: RunningGateway;
let order: ReturnType<typeof createClient<PaymentServiceClient>>;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const [db, bus] = dbs as [TestDatabase, TestDatabase];
  // The sandbox needs the gateway's address before the gateway can be given the payment's.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  payment = await startServiceProcess(join(services, "payment"), {
    DATABASE_URL: db.url,
    EVENT_BUS: "postgres",
    BUS_DATABASE_URL: bus.url,
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_PUBLIC_ORIGIN: origin,
    PAYMENT_WEBHOOK_URL: `${origin}/api/v1/payments/webhooks/sandbox`,
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SANDBOX_RETRY_MIN_MS: "100",
    SANDBOX_RETRY_MAX_MS: "500",
  });
  gateway = await startGateway(
    issuer,
    { GATEWAY_PORT: String(port), TOKO_PUBLIC_ORIGIN: origin, TOKO_PAYMENT_ADDR: payment.grpcAddress },
    { modules: [paymentsModule] },
  );
  order = createClient(PaymentServiceClient, payment.grpcAddress, { internalSecret: INTERNAL_SECRET });
});
after(async () => {
  order?.close();
  await gateway?.close();
  await payment?.stop();
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

type Reply = { status: number; type: string; body: ReturnType<typeof JSON.parse>; text: string };

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    redirect: "manual",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, text, body: type.includes("json") && text ? JSON.parse(text) : null };
}

function problem(reply: Reply, status: number, code?: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.type, /application\/problem\+json/);
  if (code) assert.equal(reply.body.code, code, reply.text);
}

/** A buyer with a token and a pending payment created as the checkout saga would. */
async function buyerWithPayment(method = "bank_transfer_va", channel = "bca") {
  const buyerId = `user-${randomUUID()}`;
  const token = await issuer.mint(buyerId);
  const { payment: created } = await order.createPayment(
    {
      checkoutId: `chk-${randomUUID()}`,
      payerId: buyerId,
      amount: { amount: 75_000, currency: "IDR" },
      method,
      channel,
      expiresAt: new Date(Date.now() + 3600_000),
      allocations: [
        {
          orderId: "ord-1",
          shopId: "shop-1",
          amount: { amount: 75_000, currency: "IDR" },
          commission: { amount: 3_750, currency: "IDR" },
        },
      ],
    },
    { principal: { subject: "service:order", roles: ["service"], scopes: [] } },
  );
  assert.ok(created);
  return { token, id: created.id };
}

function waitForStatus(id: string, token: string, status: string) {
  return waitForValue(async () => {
    const reply = await call("GET", `/api/v1/payments/${id}`, token);
    return reply.body?.status === status ? reply.body : undefined;
  }, `payment ${status}`);
}

function signed(body: string, at = new Date()): Record<string, string> {
  const ts = Math.floor(at.getTime() / 1000);
  const mac = createHmac("sha256", WEBHOOK_SECRET).update(`${ts}.${body}`).digest("hex");
  return {
    "x-sandbox-timestamp": String(ts),
    "x-sandbox-signature": `v1=${mac}`,
    "content-type": "application/json",
  };
}

describe("GET /api/v1/payments/{id}", () => {
  test("the payer sees status and instructions; others get 404; no token 401", async () => {
    const { token, id } = await buyerWithPayment();
    const mine = await call("GET", `/api/v1/payments/${id}`, token);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body.status, "PENDING");
    assert.equal(mine.body.method, "bank_transfer_va");
    assert.equal(mine.body.channel, "bca");
    assert.deepEqual(mine.body.amount, { amount: 75_000, currency: "IDR" });
    assert.match(mine.body.instructions.va_number, /^39358\d{11}$/);
    assert.equal(mine.body.instructions.qr_string, undefined);
    assert.deepEqual(mine.body.refunds, []);
    const other = await issuer.mint(`user-${randomUUID()}`);
    problem(await call("GET", `/api/v1/payments/${id}`, other), 404, "NOT_FOUND");
    problem(await call("GET", `/api/v1/payments/${id}`), 401, "UNAUTHENTICATED");
    problem(
      await call("GET", "/api/v1/payments/pay_00000000000000000000000000000000", token),
      404,
      "NOT_FOUND",
    );
    problem(await call("GET", "/api/v1/payments/not%20an%20id", token), 404, "NOT_FOUND");
  });
});

describe("POST /api/v1/payments/{id}/simulate", () => {
  test("the sandbox notifies the gateway's webhook and the payment succeeds", async () => {
    const { token, id } = await buyerWithPayment("ewallet", "gopay");
    const accepted = await call("POST", `/api/v1/payments/${id}/simulate`, token, { outcome: "success" });
    assert.equal(accepted.status, 202, accepted.text);
    assert.equal(accepted.body.status, "PENDING");
    const paid = await waitForStatus(id, token, "SUCCEEDED");
    assert.deepEqual(paid.captured, { amount: 75_000, currency: "IDR" });
    assert.ok(paid.paid_at);
    problem(
      await call("POST", `/api/v1/payments/${id}/simulate`, token, { outcome: "success" }),
      409,
      "PAYMENT_NOT_PENDING",
    );
  });

  test("bad bodies are 400/422 naming the field; another user's payment is 404", async () => {
    const { token, id } = await buyerWithPayment();
    const bad = await call("POST", `/api/v1/payments/${id}/simulate`, token, { outcome: "maybe" });
    problem(bad, 422, "VALIDATION_FAILED");
    assert.ok(
      bad.body.errors.some((e: { field: string }) => e.field === "outcome"),
      bad.text,
    );
    problem(
      await call("POST", `/api/v1/payments/${id}/simulate`, token, "{not json", {
        "content-type": "application/json",
      }),
      400,
    );
    const other = await issuer.mint(`user-${randomUUID()}`);
    problem(
      await call("POST", `/api/v1/payments/${id}/simulate`, other, { outcome: "success" }),
      404,
      "NOT_FOUND",
    );
    problem(await call("POST", `/api/v1/payments/${id}/simulate`, undefined, { outcome: "success" }), 401);
    assert.equal((await call("GET", `/api/v1/payments/${id}`, token)).body.status, "PENDING");
  });
});

describe("POST /api/v1/payments/webhooks/{provider}", () => {
  test("the raw body reaches the verifier byte for byte; a duplicate is acknowledged", async () => {
    const { token, id } = await buyerWithPayment();
    // Unusual spacing and key order: re-serialised JSON would not match the signature.
    const body = `{ "payment_id":"${id}",  "id":"ntf_gw_${id}", "event":"payment.succeeded", "amount":75000, "currency":"IDR" }`;
    const first = await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, signed(body));
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { received: true, duplicate: false });
    const again = await call(
      "POST",
      "/api/v1/payments/webhooks/sandbox",
      undefined,
      body,
      signed(body, new Date(Date.now() - 2000)),
    );
    assert.deepEqual(again.body, { received: true, duplicate: true });
    assert.equal((await call("GET", `/api/v1/payments/${id}`, token)).body.status, "SUCCEEDED");
  });

  test("forged, stale, replayed and unsigned notifications are 401 and change nothing", async () => {
    const { token, id } = await buyerWithPayment();
    const body = JSON.stringify({
      id: `ntf_x_${id}`,
      payment_id: id,
      event: "payment.succeeded",
      amount: 75_000,
      currency: "IDR",
    });
    const forged = { ...signed(body), "x-sandbox-signature": `v1=${"0".repeat(64)}` };
    problem(
      await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, forged),
      401,
      "WEBHOOK_REJECTED",
    );
    const stale = signed(body, new Date(Date.now() - 600_000));
    problem(
      await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, stale),
      401,
      "WEBHOOK_REJECTED",
    );
    problem(
      await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, {
        "content-type": "application/json",
      }),
      401,
    );
    problem(await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, "", signed("")), 401);
    problem(
      await call("POST", "/api/v1/payments/webhooks/paypal", undefined, body, signed(body)),
      404,
      "NOT_FOUND",
    );
    assert.equal((await call("GET", `/api/v1/payments/${id}`, token)).body.status, "PENDING");
    const genuine = signed(body);
    assert.equal(
      (await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, genuine)).status,
      200,
    );
    problem(
      await call("POST", "/api/v1/payments/webhooks/sandbox", undefined, body, genuine),
      401,
      "WEBHOOK_REJECTED",
    );
  });
});

describe("the sandbox's hosted pages", () => {
  const pageOf = (redirectUrl: string) => new URL(redirectUrl).pathname;

  test("a person pays a virtual account on the bank screen", async () => {
    const { token, id } = await buyerWithPayment("bank_transfer_va", "mandiri");
    const { body } = await call("GET", `/api/v1/payments/${id}`, token);
    const path = pageOf(body.instructions.redirect_url);
    const screen = await call("GET", path);
    assert.equal(screen.status, 200);
    assert.match(screen.type, /text\/html/);
    assert.ok(screen.text.includes(body.instructions.va_number));
    assert.match(screen.text, /biller code/);
    const paid = await call("POST", path, undefined, "action=pay", {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(paid.status, 303);
    assert.equal(paid.type, "");
    await waitForStatus(id, token, "SUCCEEDED");
    assert.match((await call("GET", path)).text, /Payment sent/);
  });

  test("a card: the form's script keeps the number, 3-D Secure confirms", async () => {
    const { token, id } = await buyerWithPayment("credit_card", "");
    const { body } = await call("GET", `/api/v1/payments/${id}`, token);
    const path = pageOf(body.instructions.redirect_url);
    const form = await call("GET", path);
    // The number field has no name, so a browser never submits it.
    assert.match(form.text, /<input id="card-number"[^>]*>/);
    assert.doesNotMatch(form.text, /name="card[-_]number"/);
    const script = await call("GET", "/payments/sandbox/card.js");
    assert.equal(script.status, 200);
    assert.match(script.type, /javascript/);
    const form2 = { "content-type": "application/x-www-form-urlencoded" };
    const bad = await call(
      "POST",
      path,
      undefined,
      "action=tokenize_card&card_brand=diners&card_last4=12",
      form2,
    );
    assert.equal(bad.status, 422);
    assert.match(bad.text, /could not be read/);
    assert.equal(
      (await call("POST", path, undefined, "action=tokenize_card&card_brand=visa&card_last4=1111", form2))
        .status,
      303,
    );
    assert.match((await call("GET", path)).text, /3-D Secure/);
    assert.equal((await call("POST", path, undefined, "action=verify_3ds&otp=112233", form2)).status, 303);
    await waitForStatus(id, token, "SUCCEEDED");
  });

  test("an unknown or forged page token is a 404 page", async () => {
    const { id } = await buyerWithPayment();
    const forged = await call("GET", `/payments/sandbox/${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(forged.status, 404);
    assert.match(forged.type, /text\/html/);
    assert.equal((await call("GET", "/payments/sandbox/%3Cscript%3E")).status, 404);
  });
});

describe("GET /api/v1/admin/payments/reconciliation", () => {
  test("admins get the report; buyers 403; anonymous 401; a bad time 422", async () => {
    const admin = await issuer.mint(`admin-${randomUUID()}`, { roles: ["admin"], scope: "openid admin" });
    const report = await call("GET", "/api/v1/admin/payments/reconciliation", admin);
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.ledger_imbalance, 0);
    assert.deepEqual(report.body.mismatches, []);
    assert.equal(typeof report.body.balances.provider_clearing, "number");
    const buyer = await issuer.mint(`user-${randomUUID()}`);
    problem(await call("GET", "/api/v1/admin/payments/reconciliation", buyer), 403, "FORBIDDEN");
    problem(await call("GET", "/api/v1/admin/payments/reconciliation"), 401);
    problem(
      await call("GET", "/api/v1/admin/payments/reconciliation?from=yesterday", admin),
      422,
      "VALIDATION_FAILED",
    );
  });
});
