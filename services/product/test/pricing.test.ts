import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PriceChanged } from "@toko/contracts/toko/product/v1/events";
import { countRows, rejectsWithCode } from "@toko/testing";
import { eventually, type Harness, startHarness, tshirt } from "./harness.ts";

let h: Harness;
let kaos = "";
before(async () => {
  h = await startHarness();
  kaos = (await h.anonymous.getCategory({ categoryId: "", slug: "kaos-pria" })).category?.id ?? "";
});
after(() => h.stop());

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

test("prices at the boundaries of overlapping schedules (the lowest price wins)", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("PRC", { categoryId: kaos }));
  const id = product?.id ?? "";
  const t0 = new Date(Date.now() + 3_600_000);
  // A week-long 10% promotion and a one-hour flash sale to Rp 39.000 inside it.
  await seller.client.createPriceSchedule({
    productId: id,
    sku: "PRC-M",
    percentOff: 10,
    startsAt: t0,
    endsAt: at(t0, 7 * 86_400_000),
  });
  await seller.client.createPriceSchedule({
    productId: id,
    sku: "PRC-M",
    price: { amount: 39_000, currency: "IDR" },
    percentOff: 0,
    startsAt: at(t0, 7_200_000),
    endsAt: at(t0, 10_800_000),
  });
  const priceAt = async (t: Date) =>
    (await h.anonymous.getProduct({ productId: id, priceAt: t })).product?.variants.find(
      (v) => v.sku === "PRC-M",
    )?.price?.amount;
  assert.equal(await priceAt(at(t0, -1)), 59_000, "before the start");
  assert.equal(await priceAt(t0), 53_100, "at the start: 10% off");
  assert.equal(await priceAt(at(t0, 7_199_999)), 53_100);
  assert.equal(await priceAt(at(t0, 7_200_000)), 39_000, "flash sale starts");
  assert.equal(await priceAt(at(t0, 10_799_999)), 39_000);
  assert.equal(await priceAt(at(t0, 10_800_000)), 53_100, "flash sale ends: promotion again");
  assert.equal(await priceAt(at(t0, 7 * 86_400_000 - 1)), 53_100);
  assert.equal(await priceAt(at(t0, 7 * 86_400_000)), 59_000, "at the end: base price");
  // The other variant is untouched.
  const l = (
    await h.anonymous.getProduct({ productId: id, priceAt: at(t0, 7_200_000) })
  ).product?.variants.find((v) => v.sku === "PRC-L");
  assert.equal(l?.price?.amount, 65_000);
  const { schedules } = await seller.client.listPriceSchedules({ productId: id });
  assert.equal(schedules.length, 2);
  // The cache hint runs to the next schedule boundary after the priced instant, never past it.
  const maxAge = async (t: Date) =>
    (await h.anonymous.getProduct({ productId: id, priceAt: t })).cacheMaxAgeMs;
  assert.equal(await maxAge(at(t0, -5_000)), 5_000, "until the promotion starts");
  assert.equal(await maxAge(t0), 7_200_000, "until the flash sale starts");
  assert.equal(await maxAge(at(t0, 7_200_000)), 3_600_000, "until the flash sale ends");
  assert.equal(await maxAge(at(t0, 10_800_000)), 7 * 86_400_000 - 10_800_000, "until the promotion ends");
  assert.equal(await maxAge(at(t0, 7 * 86_400_000)), undefined, "nothing scheduled after the end");
});

test("a schedule takes effect on time through the durable timers, with history and PriceChanged", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("TMR", { categoryId: kaos }));
  const id = product?.id ?? "";
  const startsAt = new Date(Date.now() + 1_000);
  const { schedule } = await seller.client.createPriceSchedule({
    productId: id,
    sku: "TMR-L",
    percentOff: 20,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 1_000),
  });
  const events = async () =>
    (await h.outbox("toko.product.v1.PriceChanged"))
      .filter((e) => e.subject === id)
      .map((e) => PriceChanged.decode(e.payload));
  await eventually(async () => (await events()).length >= 2);
  const [started, ended] = await events();
  assert.equal(started?.price?.amount, 52_000);
  assert.equal(started?.previousPrice?.amount, 65_000);
  assert.equal(started?.reason, "schedule_started");
  assert.equal(started?.scheduleId, schedule?.id);
  assert.ok((started?.effectiveAt?.getTime() ?? 0) >= startsAt.getTime(), "never applied early");
  assert.equal(ended?.price?.amount, 65_000);
  assert.equal(ended?.reason, "schedule_ended");
  const { entries } = await h.anonymous.getPriceHistory({ productId: id, sku: "TMR-L" });
  assert.deepEqual(
    entries.map((e) => e.price?.amount),
    [65_000, 52_000, 65_000],
  );
  // Price-check keys are `<variantId>@<due time>`: none is left for this variant.
  const { rowCount } = await h.db.pool.query("SELECT 1 FROM kit_timers WHERE key LIKE $1", [
    `${product?.variants[1]?.id ?? ""}@%`,
  ]);
  assert.equal(rowCount, 0);
});

test("a schedule starting now applies at once; bad schedules are refused and change nothing", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("NOW", { categoryId: kaos }));
  const id = product?.id ?? "";
  await seller.client.createPriceSchedule({
    productId: id,
    sku: "NOW-M",
    percentOff: 50,
    startsAt: new Date(Date.now() - 60_000),
  });
  assert.equal((await h.anonymous.getProduct({ productId: id })).product?.variants[0]?.price?.amount, 29_500);
  const before = await countRows(h.db.pool, "price_schedules");
  const bad = [
    { sku: "NOW-M", price: { amount: -1, currency: "IDR" }, percentOff: 0, startsAt: new Date() },
    { sku: "NOW-M", price: { amount: 70_000, currency: "IDR" }, percentOff: 0, startsAt: new Date() },
    { sku: "NOW-M", percentOff: 100, startsAt: new Date() },
    {
      sku: "NOW-M",
      percentOff: 10,
      startsAt: new Date(Date.now() + 5_000),
      endsAt: new Date(Date.now() + 1_000),
    },
    { sku: "NOPE", percentOff: 10, startsAt: new Date() },
    { sku: "NOW-M", percentOff: 10 },
  ];
  for (const input of bad)
    await rejectsWithCode(
      seller.client.createPriceSchedule({ productId: id, ...input }),
      "VALIDATION_FAILED",
    );
  assert.equal(await countRows(h.db.pool, "price_schedules"), before);
});
