import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NotificationServiceClient } from "@toko/contracts/toko/notification/v1/notification";
import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import { createClient, createEnvelope, createPostgresBus, protoEvent, uuidv7 } from "@toko/kit";
import {
  countRows,
  createTestDatabase,
  rejectsWithCode,
  startServiceProcess,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  testPrincipal,
  waitFor,
} from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const admin = testPrincipal("admin-1", ["admin"]);

function completed(buyerId: string, productIds: string[], completedAt = new Date()) {
  const orderId = uuidv7();
  return createEnvelope(
    "order",
    protoEvent(
      "toko.order.v1.OrderCompleted",
      orderId,
      OrderCompleted,
      OrderCompleted.fromPartial({
        orderId,
        checkoutId: uuidv7(),
        buyerId,
        shopId: uuidv7(),
        lines: productIds.map((productId) => ({
          lineId: uuidv7(),
          productId,
          variantId: uuidv7(),
          sku: "SKU",
          quantity: 1,
        })),
        completedAt,
      }),
    ),
  );
}

const template = {
  id: { subject: "Promo kopi", body: "Diskon 20% untuk kopi <hari ini>" },
  en: undefined,
  link: "/promo/kopi",
};

describe("campaigns", () => {
  it("sends to the segment's opted-in buyers once, with a one-click unsubscribe that works", async () => {
    // Two products in two different leaf categories of the real catalog.
    const products = createClient(ProductServiceClient, h.product.grpcAddress, {
      internalSecret: TEST_INTERNAL_SECRET,
    });
    const seller = testPrincipal(`seller-${uuidv7()}`, ["buyer", "seller"]);
    await products.openShop(
      {
        name: "Toko Kopi",
        slug: `toko-kopi-${uuidv7().slice(-8)}`,
        city: "Bandung",
        province: "Jawa Barat",
        description: "",
      },
      { principal: seller },
    );
    const { categories } = await products.listCategories({}, { principal: null });
    const leaf = (root: (typeof categories)[number] | undefined) => {
      let c = root;
      while (c && c.children.length > 0) c = c.children[0];
      return c;
    };
    const [catA, catB] = [categories[0], categories[1]];
    assert.ok(catA && catB, "the catalog has two root categories");
    const create = async (categoryId: string) => {
      const { product } = await products.createProduct(
        {
          title: `Produk ${uuidv7().slice(-4)}`,
          description: "Barang bagus",
          categoryId,
          condition: 1,
          weightGrams: 400,
          lengthCm: 20,
          widthCm: 10,
          heightCm: 5,
          minOrder: 1,
          images: ["https://img.example/p.jpg"],
          attributes: [],
          variants: [
            {
              sku: `SKU-${uuidv7().slice(-8)}`,
              options: [{ name: "Varian", value: "A" }],
              price: { amount: 10_000, currency: "IDR" },
            },
          ],
          status: ProductStatus.PRODUCT_STATUS_ACTIVE,
        },
        { principal: seller },
      );
      assert.ok(product);
      return product.id;
    };
    const inA = await create(leaf(catA)?.id ?? "");
    const inB = await create(leaf(catB)?.id ?? "");
    products.close();

    const [a, b, c] = [await h.register("Agus"), await h.register("Bayu"), await h.register("Cici")];
    await h.publish(completed(a.id, [inA]), completed(b.id, [inB]), completed(c.id, [inA]));
    // A buyer of category A long ago is outside a 30-day window.
    const old = await h.register("Oldi");
    await h.publish(completed(old.id, [inA], new Date(Date.now() - 90 * 86_400_000)));
    for (const u of [a, b, old]) {
      await h.client(u.id).updatePreferences({
        locale: "",
        changes: [{ channel: "email", category: "marketing", enabled: true }],
      });
    }
    // c never opted in.
    await h.settled();
    const before = h.smtp.mails.length;

    const notifications = h.svc.client(NotificationServiceClient, { principal: admin });
    // Bad input: every problem named, nothing stored.
    const bad = await rejectsWithCode(
      notifications.createCampaign({
        name: "",
        segment: { categoryId: "", boughtWithinDays: 0 },
        channel: "fax",
        template: { id: { subject: "", body: "x" }, en: undefined, link: "javascript:alert(1)" },
        scheduledAt: undefined,
        ratePerSecond: 5000,
      }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(bad.violations.map((v) => v.field).sort(), [
      "channel",
      "name",
      "schedule.rate_per_second",
      "segment.bought_within_days",
      "template.id.subject",
      "template.link",
    ]);
    await rejectsWithCode(
      h.client(a.id).createCampaign({
        name: "x",
        segment: { categoryId: "", boughtWithinDays: 30 },
        channel: "email",
        template,
        scheduledAt: undefined,
        ratePerSecond: 0,
      }),
      "FORBIDDEN",
    );
    assert.equal(await countRows(h.notificationDb.pool, "campaigns"), 0);

    const { campaign } = await notifications.createCampaign({
      name: "Kopi bulan ini",
      segment: { categoryId: catA.id, boughtWithinDays: 30 },
      channel: "email",
      template,
      scheduledAt: undefined,
      ratePerSecond: 0,
    });
    assert.ok(campaign);
    await waitFor(
      async () => (await notifications.getCampaign({ campaignId: campaign.id })).campaign?.status === "done",
      "the campaign to finish",
      30_000,
    );
    await h.settled();
    const progress = (await notifications.getCampaign({ campaignId: campaign.id })).campaign;
    assert.deepEqual([progress?.recipients, progress?.processed, progress?.sent], [2, 2, 1]);
    const sent = h.smtp.mails.slice(before);
    assert.deepEqual(
      sent.map((m) => m.to),
      [a.email],
    );
    const mail = sent[0];
    assert.ok(mail);
    assert.equal(mail.subject, "Promo kopi");
    assert.ok(mail.html.includes("Diskon 20% untuk kopi &lt;hari ini&gt;"));
    assert.ok(mail.html.includes("https://toko.test/promo/kopi"));
    const listUnsubscribe = String(mail.headers.get("list-unsubscribe") ?? "");
    const post = mail.headers.get("list-unsubscribe-post");
    assert.match(listUnsubscribe, /https:\/\/toko\.test\/api\/v1\/notifications\/unsubscribe\?token=/);
    assert.equal(String(post), "List-Unsubscribe=One-Click");
    const token = decodeURIComponent(/token=([^>\s]+)/.exec(listUnsubscribe)?.[1] ?? "");

    // One click: the token turns marketing email off for that user; a forged one changes nothing.
    await rejectsWithCode(h.client("x").unsubscribe({ token: `${token}x` }), "INVALID_TOKEN");
    await rejectsWithCode(h.client("x").unsubscribe({ token: "garbage" }), "INVALID_TOKEN");
    const res = await h.svc.client(NotificationServiceClient).unsubscribe({ token });
    assert.deepEqual(res, { channel: "email", category: "marketing" });
    const prefs = await h.client(a.id).getPreferences({});
    assert.equal(
      prefs.preferences.find((p) => p.channel === "email" && p.category === "marketing")?.enabled,
      false,
    );
  });
});

describe("a campaign killed mid-send", () => {
  it("resumes after a SIGKILL of the service without sending anyone the campaign twice", async () => {
    const [db, busDb] = (await Promise.all([createTestDatabase(), createTestDatabase()])) as [
      TestDatabase,
      TestDatabase,
    ];
    const env = {
      ...h.notificationEnv,
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: busDb.url,
      CAMPAIGN_MAX_BATCH: "5",
    };
    const dir = join(import.meta.dirname, "..");
    let service = await startServiceProcess(dir, env, { readyTimeoutMs: 120_000 });
    const bus = await createPostgresBus({ url: busDb.url });
    try {
      const buyers = Array.from({ length: 60 }, (_, i) => `buyer-${String(i).padStart(2, "0")}-${uuidv7()}`);
      await bus.publish(buyers.map((b) => completed(b, [uuidv7()])));
      await waitFor(
        async () => (await countRows(db.pool, "purchases")) === 60,
        "the purchases projected",
        60_000,
      );
      const client = () =>
        createClient(NotificationServiceClient, service.grpcAddress, {
          internalSecret: TEST_INTERNAL_SECRET,
        });
      let c = client();
      const optedIn = buyers.slice(0, 50);
      for (const b of optedIn) {
        await c.updatePreferences(
          { locale: "", changes: [{ channel: "in_app", category: "marketing", enabled: true }] },
          { principal: testPrincipal(b) },
        );
      }
      const { campaign } = await c.createCampaign(
        {
          name: "Flash sale",
          segment: { categoryId: "", boughtWithinDays: 7 },
          channel: "in_app",
          template: {
            id: { subject: "Flash sale", body: "Mulai sekarang" },
            en: { subject: "Flash sale", body: "Starts now" },
            link: "",
          },
          scheduledAt: undefined,
          ratePerSecond: 10,
        },
        { principal: admin },
      );
      assert.ok(campaign);
      const processed = async () =>
        Number(
          (
            await db.pool.query(
              "SELECT count(*)::int AS n FROM campaign_recipients WHERE status <> 'pending'",
            )
          ).rows[0].n,
        );
      await waitFor(async () => (await processed()) >= 10, "the campaign to be under way", 60_000);
      c.close();
      await service.kill();
      const atKill = await processed();
      assert.ok(atKill < 60, `killed mid-send (${atKill} of 60 done)`);

      service = await startServiceProcess(dir, service.env, { readyTimeoutMs: 120_000 });
      c = client();
      await waitFor(
        async () =>
          (await c.getCampaign({ campaignId: campaign.id }, { principal: admin })).campaign?.status ===
          "done",
        "the campaign to finish after the restart",
        60_000,
      );
      c.close();
      const { rows } = await db.pool.query(
        "SELECT user_id, count(*)::int AS n FROM inbox WHERE kind = 'campaign' GROUP BY user_id",
      );
      assert.equal(rows.length, 50, "every opted-in buyer got it");
      assert.ok(
        rows.every((r) => r.n === 1),
        "nobody got it twice",
      );
      assert.deepEqual(new Set(rows.map((r) => r.user_id)), new Set(optedIn));
      assert.equal(await countRows(db.pool, "campaign_recipients", { status: "skipped" }), 10);
      assert.equal(await service.stop(), 0, service.logs());
    } finally {
      await service.kill().catch(() => undefined);
      await bus.close();
      await Promise.all([db.drop(), busDb.drop()]);
    }
  });
});
