import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import { createEnvelope, createPostgresBus, type EventBus, generateSealingKeys, protoEvent } from "@toko/kit";
import {
  countRows,
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitFor,
  waitForValue,
} from "@toko/testing";
import { notificationsModule } from "../src/routes/notifications/index.ts";
import { usersModule } from "../src/routes/users/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Notifications through the real gateway over HTTP, to the real notification process (in
// development mode: email goes to its mail catcher), which hears the real user service's events
// and order events published here as the order service publishes them.
const services = join(import.meta.dirname, "..", "..", "..", "services");
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let procs: ServiceProcess[] = [];
let notificationDb: TestDatabase;
let bus: EventBus;
let gateway: RunningGateway;
let production: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all(Array.from({ length: 3 }, () => createTestDatabase()));
  const [userDb, nDb, busDb] = dbs as [TestDatabase, TestDatabase, TestDatabase];
  notificationDb = nDb;
  const keys = generateSealingKeys();
  const shared = { TOKO_INTERNAL_SECRET: INTERNAL_SECRET, BUS_DATABASE_URL: busDb.url };
  const user = await startServiceProcess(join(services, "user"), {
    ...shared,
    DATABASE_URL: userDb.url,
    TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
    TOKO_NOTIFICATION_PUBLIC_KEY: keys.publicKey,
  });
  const notification = await startServiceProcess(join(services, "notification"), {
    ...shared,
    DATABASE_URL: notificationDb.url,
    TOKO_ENV: "development",
    TOKO_USER_ADDR: user.grpcAddress,
    TOKO_PRODUCT_ADDR: "127.0.0.1:9",
    TOKO_NOTIFICATION_PRIVATE_KEY: keys.privateKey,
  });
  procs = [notification, user];
  bus = await createPostgresBus({ url: busDb.url });
  const addresses = { TOKO_USER_ADDR: user.grpcAddress, TOKO_NOTIFICATION_ADDR: notification.grpcAddress };
  const modules = { modules: [usersModule, notificationsModule] };
  gateway = await startGateway(issuer, { ...addresses, TOKO_ENV: "development" }, modules);
  production = await startGateway(issuer, addresses, modules);
});
after(async () => {
  await gateway?.close();
  await production?.close();
  await bus?.close();
  for (const p of procs) assert.equal(await p.stop(), 0, p.logs());
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

type Reply = {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  body: ReturnType<typeof JSON.parse>;
};

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: string; base?: string } = {},
): Promise<Reply> {
  const res = await fetch(`${options.base ?? gateway.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(options.form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: options.form ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    type,
    headers: res.headers,
    text,
    body: type.includes("json") && text ? JSON.parse(text) : null,
  };
}

async function newUser(name: string) {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@toko.test`;
  const res = await call("POST", "/api/v1/users", { body: { email, password: "Kopi-Gayo-2024!", name } });
  assert.equal(res.status, 201, res.text);
  const id = String(res.body.id);
  return { id, email, token: await issuer.mint(id) };
}

const adminToken = () => issuer.mint("admin-1", { roles: ["admin"], scope: "openid admin" });

describe("notifications through the gateway", () => {
  it("serves the inbox and marks items read; strangers and bad ids get problems", async () => {
    const u = await newUser("Rina");
    const inbox = await waitForValue(async () => {
      const r = await call("GET", "/api/v1/me/notifications", { token: u.token });
      return r.status === 200 && r.body.items.length === 1 ? r : undefined;
    }, "the welcome notification");
    assert.equal(inbox.body.unread, 1);
    assert.equal(inbox.body.next_cursor, null);
    const item = inbox.body.items[0];
    assert.equal(item.title, "Selamat datang di Toko");
    assert.equal(item.category, "account");
    assert.equal(item.read_at, null);

    const read = await call("POST", `/api/v1/me/notifications/${item.id}/read`, { token: u.token });
    assert.equal(read.status, 200, read.text);
    assert.ok(read.body.read_at);
    const after = await call("GET", "/api/v1/me/notifications?unread_only=true", { token: u.token });
    assert.deepEqual([after.body.unread, after.body.items.length], [0, 0]);

    const other = await newUser("Tono");
    const stranger = await call("POST", `/api/v1/me/notifications/${item.id}/read`, { token: other.token });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.code, "NOT_FOUND");
    assert.equal((await call("GET", "/api/v1/me/notifications")).status, 401);
    const badLimit = await call("GET", "/api/v1/me/notifications?limit=1000", { token: u.token });
    assert.equal(badLimit.status, 422);
  });

  it("reads and changes preferences; turning off a transactional channel is 422 and changes nothing", async () => {
    const u = await newUser("Sari");
    const got = await call("GET", "/api/v1/me/notification-preferences", { token: u.token });
    assert.equal(got.status, 200);
    assert.equal(got.body.locale, "id");
    assert.equal(got.body.preferences.length, 12);
    const refused = await call("PUT", "/api/v1/me/notification-preferences", {
      token: u.token,
      body: { preferences: [{ channel: "in_app", category: "orders", enabled: false }] },
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "VALIDATION_FAILED");
    assert.deepEqual(
      refused.body.errors.map((e: { field: string }) => e.field),
      ["preferences[0].enabled"],
    );
    const badShape = await call("PUT", "/api/v1/me/notification-preferences", {
      token: u.token,
      body: { locale: "fr" },
    });
    assert.equal(badShape.status, 422);
    assert.equal(await countRows(notificationDb.pool, "preferences", { user_id: u.id }), 0);
    const changed = await call("PUT", "/api/v1/me/notification-preferences", {
      token: u.token,
      body: { locale: "en", preferences: [{ channel: "email", category: "marketing", enabled: true }] },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.locale, "en");
    assert.equal(
      changed.body.preferences.find(
        (p: { channel: string; category: string }) => p.channel === "email" && p.category === "marketing",
      ).enabled,
      true,
    );
  });

  it("lets admins run campaigns, whose email carries a working one-click unsubscribe", async () => {
    const u = await newUser("Wati");
    await call("PUT", "/api/v1/me/notification-preferences", {
      token: u.token,
      body: {
        locale: "en",
        preferences: [
          { channel: "email", category: "marketing", enabled: true },
          { channel: "in_app", category: "marketing", enabled: true },
        ],
      },
    });
    const orderId = randomUUID();
    const completed = createEnvelope(
      "order",
      protoEvent(
        "toko.order.v1.OrderCompleted",
        orderId,
        OrderCompleted,
        OrderCompleted.fromPartial({
          orderId,
          buyerId: u.id,
          shopId: randomUUID(),
          lines: [{ lineId: "1", productId: randomUUID(), quantity: 1 }],
          completedAt: new Date(),
        }),
      ),
    );
    await bus.publish([completed]);
    await waitFor(
      async () => (await countRows(notificationDb.pool, "purchases", { buyer_id: u.id })) === 1,
      "the purchase",
    );

    const body = {
      name: "Promo akhir pekan",
      segment: { bought_within_days: 7 },
      channel: "email",
      template: {
        id: { subject: "Promo akhir pekan", body: "Diskon 10%" },
        en: { subject: "Weekend deals", body: "10% off" },
      },
      schedule: { rate_per_second: 20 },
    };
    const asBuyer = await call("POST", "/api/v1/admin/campaigns", { token: u.token, body });
    assert.equal(asBuyer.status, 403);
    const invalid = await call("POST", "/api/v1/admin/campaigns", {
      token: await adminToken(),
      body: { ...body, segment: { bought_within_days: 0 } },
    });
    assert.equal(invalid.status, 422);
    assert.equal(await countRows(notificationDb.pool, "campaigns"), 0);
    const created = await call("POST", "/api/v1/admin/campaigns", { token: await adminToken(), body });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get("location"), `/api/v1/admin/campaigns/${created.body.id}`);
    assert.equal(created.body.schedule.rate_per_second, 20);
    const done = await waitForValue(async () => {
      const r = await call("GET", `/api/v1/admin/campaigns/${created.body.id}`, {
        token: await adminToken(),
      });
      return r.body?.status === "done" ? r : undefined;
    }, "the campaign to finish");
    assert.deepEqual([done.body.recipients, done.body.sent], [1, 1]);

    // The email (in the development mail catcher), in the user's locale, with RFC 8058 headers.
    const mail = await waitForValue(async () => {
      const { rows } = await notificationDb.pool.query(
        "SELECT id, subject, headers FROM dev_mail WHERE to_address = $1 AND subject = 'Weekend deals'",
        [u.email],
      );
      return rows[0];
    }, "the campaign email");
    assert.equal(mail.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
    const url = new URL(/^<(.+)>$/.exec(mail.headers["List-Unsubscribe"])?.[1] ?? "");
    const path = `${url.pathname}${url.search}`;
    const confirm = await call("GET", path);
    assert.equal(confirm.status, 200);
    assert.match(confirm.type, /text\/html/);
    assert.equal(
      (await call("GET", "/api/v1/me/notification-preferences", { token: u.token })).body.preferences.find(
        (p: { channel: string; category: string }) => p.channel === "email" && p.category === "marketing",
      ).enabled,
      true,
      "a GET (a mail scanner following the link) changes nothing",
    );
    const oneClick = await call("POST", path, { form: "List-Unsubscribe=One-Click" });
    assert.equal(oneClick.status, 200, oneClick.text);
    assert.equal(
      (await call("GET", "/api/v1/me/notification-preferences", { token: u.token })).body.preferences.find(
        (p: { channel: string; category: string }) => p.channel === "email" && p.category === "marketing",
      ).enabled,
      false,
    );
    const forged = await call("POST", "/api/v1/notifications/unsubscribe?token=abc.def", {
      form: "List-Unsubscribe=One-Click",
    });
    assert.equal(forged.status, 400);

    // Shown on /dev/mail in development; 404 elsewhere.
    const list = await call("GET", "/dev/mail");
    assert.equal(list.status, 200);
    assert.match(list.type, /text\/html/);
    assert.ok(list.text.includes("Weekend deals"));
    assert.ok(
      list.text.includes("Confirm your email address") || list.text.includes("Konfirmasi alamat email kamu"),
    );
    const one = await call("GET", `/dev/mail/${mail.id}`);
    assert.equal(one.status, 200);
    assert.ok(one.text.includes("List-Unsubscribe"));
    assert.ok(one.text.includes("<iframe sandbox"));
    assert.equal((await call("GET", `/dev/mail/${randomUUID()}`)).status, 404);
    assert.equal((await call("GET", "/dev/mail", { base: production.url })).status, 404);
    assert.equal((await call("GET", `/dev/mail/${mail.id}`, { base: production.url })).status, 404);
  });
});
