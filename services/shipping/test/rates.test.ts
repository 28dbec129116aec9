import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { QuoteRatesRequest } from "@toko/contracts/toko/shipping/v1/shipping";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const request = (over: Partial<QuoteRatesRequest> = {}): QuoteRatesRequest => ({
  originCity: "Bandung",
  originProvince: "",
  destinationCity: "Surabaya",
  destinationProvince: "",
  parcel: { weightGrams: 1300, lengthCm: 0, widthCm: 0, heightCm: 0 },
  ...over,
});

describe("QuoteRates over gRPC, anonymously", () => {
  test("Bandung→Surabaya 1.3 kg: every line-haul level, cheapest first, no GoSend (another city)", async () => {
    const res = await h.anonymous.quoteRates(request());
    assert.deepEqual(res.origin, { name: "Kota Bandung", province: "Jawa Barat" });
    assert.deepEqual(res.destination, { name: "Kota Surabaya", province: "Jawa Timur" });
    assert.equal(res.zone, "same_island");
    assert.deepEqual(
      res.quotes.map((q) => [q.optionId, q.price?.amount, q.chargeableWeightGrams]),
      [
        ["anteraja-reg", 16_000, 1000],
        ["sicepat-reg", 16_500, 1000],
        ["jne-reg", 18_000, 1000],
        ["jne-yes", 30_000, 1000],
        ["jnt-ez", 34_000, 2000],
        ["sicepat-best", 54_000, 2000],
      ],
    );
    assert.ok(res.quotes.every((q) => q.price?.currency === "IDR"));
  });

  test("within Kota Bandung GoSend Instant and Same Day join the list", async () => {
    const res = await h.anonymous.quoteRates(request({ destinationCity: "Kota Bandung" }));
    const ids = res.quotes.map((q) => q.optionId);
    assert.ok(ids.includes("gosend-instant") && ids.includes("gosend-sameday"), ids.join());
    const instant = res.quotes.find((q) => q.optionId === "gosend-instant");
    assert.deepEqual([instant?.price?.amount, instant?.etdMinDays, instant?.etdMaxDays], [25_000, 0, 0]);
  });

  test("a parcel no carrier takes (140 kg) is an empty list, not an error", async () => {
    const res = await h.anonymous.quoteRates(
      request({ parcel: { weightGrams: 140_000, lengthCm: 0, widthCm: 0, heightCm: 0 } }),
    );
    assert.deepEqual(res.quotes, []);
  });

  test("an unknown city is VALIDATION_FAILED naming the field and the reason", async () => {
    const e = await rejectsWithCode(
      h.anonymous.quoteRates(request({ originCity: "Atlantis" })),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(e.violations, [
      { field: "origin_city", message: 'no city or regency named "Atlantis"' },
    ]);
  });

  test("zero, absurd or half-given sizes are VALIDATION_FAILED, each field named", async () => {
    const zero = await rejectsWithCode(
      h.anonymous.quoteRates(request({ parcel: { weightGrams: 0, lengthCm: 0, widthCm: 0, heightCm: 0 } })),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      zero.violations.map((v) => v.field),
      ["weight_grams"],
    );
    const absurd = await rejectsWithCode(
      h.anonymous.quoteRates(
        request({ parcel: { weightGrams: 10_000_000, lengthCm: 5000, widthCm: 10, heightCm: 10 } }),
      ),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      absurd.violations.map((v) => v.field),
      ["weight_grams", "length_cm"],
    );
    const half = await rejectsWithCode(
      h.anonymous.quoteRates(
        request({ parcel: { weightGrams: 1000, lengthCm: 10, widthCm: 0, heightCm: 0 } }),
      ),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      half.violations.map((v) => v.field),
      ["width_cm", "height_cm"],
    );
  });

  test("a missing parcel and an unknown province are refused too", async () => {
    await rejectsWithCode(h.anonymous.quoteRates(request({ parcel: undefined })), "VALIDATION_FAILED");
    const e = await rejectsWithCode(
      h.anonymous.quoteRates(request({ destinationProvince: "Narnia" })),
      "VALIDATION_FAILED",
    );
    assert.equal(e.violations[0]?.field, "destination_province");
  });
});

describe("pickup and delivery slots", () => {
  test("JNE REG pickup windows in Bandung are 3- or 4-hour windows in the future", async () => {
    const { slots } = await h.anonymous.listPickupSlots({
      optionId: "jne-reg",
      originCity: "Bandung",
      originProvince: "",
    });
    assert.ok(slots.length > 0);
    for (const s of slots) {
      assert.ok(s.start && s.end && s.start.getTime() > Date.now());
      assert.ok([3, 4].includes((s.end.getTime() - s.start.getTime()) / 3_600_000));
    }
  });
  test("AnterAja offers delivery windows, JNE REG none; an unknown option is OPTION_UNAVAILABLE", async () => {
    const route = {
      originCity: "Bandung",
      originProvince: "",
      destinationCity: "Surabaya",
      destinationProvince: "",
    };
    assert.ok((await h.anonymous.listDeliverySlots({ optionId: "anteraja-reg", ...route })).slots.length > 0);
    assert.deepEqual((await h.anonymous.listDeliverySlots({ optionId: "jne-reg", ...route })).slots, []);
    await rejectsWithCode(
      h.anonymous.listDeliverySlots({ optionId: "pos-kilat", ...route }),
      "OPTION_UNAVAILABLE",
    );
  });
});
