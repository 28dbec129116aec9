import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allocate } from "./allocate.ts";
import {
  type PricedLineInput,
  type PriceInput,
  percentOf,
  priceCart,
  type VoucherInput,
} from "./price-cart.ts";
import type { VoucherTerms } from "./voucher.ts";

const now = new Date("2026-03-01T10:00:00.000Z");
const line = (shopId: string, unitPrice: number, quantity: number, purchasable = true): PricedLineInput => ({
  shopId,
  unitPrice,
  quantity,
  purchasable,
});
const voucher = (terms: Partial<VoucherTerms>, used = 0, usedByUser = 0): VoucherInput => ({
  terms: {
    code: "V",
    scope: "platform",
    shopId: null,
    kind: "fixed",
    percentOff: 0,
    amount: 10_000,
    maxDiscount: null,
    minSpend: 0,
    startsAt: new Date("2026-01-01T00:00:00Z"),
    endsAt: new Date("2026-12-31T00:00:00Z"),
    totalLimit: null,
    perUserLimit: null,
    ...terms,
  },
  usage: { used, usedByUser },
});
const price = (over: Partial<PriceInput>) =>
  priceCart({
    shopIds: ["a", "b"],
    lines: [line("a", 100_000, 2), line("b", 55_500, 1)],
    shipping: new Map(),
    vouchers: [],
    serviceFee: 1_000,
    now,
    ...over,
  });

/** Every result's parts add up to its totals. */
function assertConsistent(r: ReturnType<typeof priceCart>) {
  const sum = (f: (s: (typeof r.shops)[number]) => number) => r.shops.reduce((a, s) => a + f(s), 0);
  assert.equal(
    sum((s) => s.subtotal),
    r.totals.subtotal,
  );
  assert.equal(
    sum((s) => s.discount),
    r.totals.discount,
  );
  assert.equal(
    sum((s) => s.shipping),
    r.totals.shipping,
  );
  assert.equal(
    r.vouchers.reduce((a, v) => a + v.discount, 0),
    r.totals.discount,
  );
  for (const s of r.shops) assert.equal(s.total, s.subtotal - s.discount + s.shipping);
  assert.equal(
    r.totals.grandTotal,
    r.totals.subtotal - r.totals.discount + r.totals.shipping + r.totals.serviceFee,
  );
}

describe("priceCart", () => {
  it("sums per shop, counts only purchasable lines and adds the service fee", () => {
    const r = price({ lines: [line("a", 100_000, 2), line("b", 55_500, 1), line("b", 9_999, 3, false)] });
    assert.deepEqual(
      r.shops.map((s) => [s.shopId, s.subtotal, s.discount, s.shipping, s.total]),
      [
        ["a", 200_000, 0, 0, 200_000],
        ["b", 55_500, 0, 0, 55_500],
      ],
    );
    assert.deepEqual(r.totals, {
      subtotal: 255_500,
      discount: 0,
      shipping: 0,
      serviceFee: 1_000,
      grandTotal: 256_500,
    });
  });

  it("charges no service fee, shipping or discount on a cart with nothing to buy", () => {
    const r = price({
      lines: [line("a", 5_000, 1, false)],
      shipping: new Map([["a", 9_000]]),
      vouchers: [voucher({ kind: "free_shipping", amount: 20_000 })],
    });
    assert.deepEqual(r.totals, { subtotal: 0, discount: 0, shipping: 0, serviceFee: 0, grandTotal: 0 });
  });

  it("floors percent discounts to the rupiah and caps them", () => {
    assert.equal(percentOf(55_555, 15), 8_333); // 8333.25
    assert.equal(percentOf(99, 50), 49); // 49.5 floors
    const capped = price({ vouchers: [voucher({ kind: "percent", percentOff: 10, maxDiscount: 20_000 })] });
    assert.equal(capped.vouchers[0]?.discount, 20_000); // 10% of 255,500 = 25,550 > cap
    const floored = price({ vouchers: [voucher({ kind: "percent", percentOff: 3, maxDiscount: null })] });
    assert.equal(floored.vouchers[0]?.discount, 7_665); // 7665.0
    const odd = price({
      lines: [line("a", 333, 1), line("b", 334, 1)],
      vouchers: [voucher({ kind: "percent", percentOff: 7 })],
    });
    assert.equal(odd.vouchers[0]?.discount, 46); // 46.69 floors
    assertConsistent(odd);
  });

  it("never discounts more than the amount it applies to", () => {
    const r = price({
      lines: [line("a", 4_000, 1)],
      shopIds: ["a"],
      vouchers: [voucher({ amount: 10_000 })],
    });
    assert.equal(r.vouchers[0]?.discount, 4_000);
    assert.equal(r.shops[0]?.total, 0);
    assert.equal(r.totals.grandTotal, 1_000);
  });

  it("applies the minimum spend at exactly the limit and refuses one rupiah below", () => {
    const at = price({ vouchers: [voucher({ minSpend: 255_500 })] });
    assert.equal(at.vouchers[0]?.problem, null);
    assert.equal(at.vouchers[0]?.discount, 10_000);
    const below = price({ vouchers: [voucher({ minSpend: 255_501 })] });
    assert.equal(below.vouchers[0]?.problem, "VOUCHER_MIN_SPEND");
    assert.equal(below.vouchers[0]?.discount, 0);
    assert.equal(below.totals.discount, 0);
  });

  it("is valid from starts_at inclusive until ends_at exclusive", () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    const problem = (startsAt: Date, endsAt: Date) =>
      price({ vouchers: [voucher({ startsAt, endsAt })] }).vouchers[0]?.problem;
    assert.equal(problem(at(0), at(1)), null);
    assert.equal(problem(at(1), at(1000)), "VOUCHER_NOT_STARTED");
    assert.equal(problem(at(-1000), at(0)), "VOUCHER_EXPIRED");
    assert.equal(problem(at(-1000), at(1)), null);
  });

  it("refuses a voucher whose total or per-user limit is reached", () => {
    const r = price({
      vouchers: [
        voucher({ code: "T", totalLimit: 5 }, 5, 0),
        voucher({ code: "U", kind: "free_shipping", perUserLimit: 1 }, 1, 1),
      ],
    });
    assert.deepEqual(
      r.vouchers.map((v) => v.problem),
      ["VOUCHER_USED_UP", "VOUCHER_USED_UP"],
    );
    const left = price({ vouchers: [voucher({ totalLimit: 5, perUserLimit: 2 }, 4, 1)] });
    assert.equal(left.vouchers[0]?.problem, null);
  });

  it("applies a shop voucher to its shop's subtotal only", () => {
    const r = price({
      vouchers: [voucher({ code: "SHOPB", scope: "shop", shopId: "b", kind: "percent", percentOff: 10 })],
    });
    assert.equal(r.vouchers[0]?.discount, 5_550);
    assert.deepEqual(
      r.shops.map((s) => s.discount),
      [0, 5_550],
    );
    const elsewhere = price({ vouchers: [voucher({ scope: "shop", shopId: "c" })] });
    assert.equal(elsewhere.vouchers[0]?.problem, "VOUCHER_NOT_APPLICABLE");
    const min = price({ vouchers: [voucher({ scope: "shop", shopId: "b", minSpend: 60_000 })] });
    assert.equal(min.vouchers[0]?.problem, "VOUCHER_MIN_SPEND", "a shop voucher's minimum is on its shop");
  });

  it("stacks one platform discount, one free-shipping and one voucher per shop", () => {
    const r = price({
      shipping: new Map([
        ["a", 18_000],
        ["b", 9_000],
      ]),
      vouchers: [
        voucher({ code: "PLAT", kind: "percent", percentOff: 10 }),
        voucher({ code: "A1", scope: "shop", shopId: "a", amount: 20_000 }),
        voucher({ code: "B1", scope: "shop", shopId: "b", amount: 5_000 }),
        voucher({ code: "ONGKIR", kind: "free_shipping", amount: 20_000 }),
        voucher({ code: "PLAT2", amount: 1 }),
        voucher({ code: "A2", scope: "shop", shopId: "a", amount: 1 }),
        voucher({ code: "ONGKIR2", kind: "free_shipping", amount: 1 }),
      ],
    });
    assert.deepEqual(
      r.vouchers.map((v) => [v.code, v.discount, v.problem]),
      [
        ["PLAT", 23_050, null], // 10% of (180,000 + 50,500)
        ["A1", 20_000, null],
        ["B1", 5_000, null],
        ["ONGKIR", 20_000, null],
        ["PLAT2", 0, "VOUCHER_NOT_COMBINABLE"],
        ["A2", 0, "VOUCHER_NOT_COMBINABLE"],
        ["ONGKIR2", 0, "VOUCHER_NOT_COMBINABLE"],
      ],
    );
    assertConsistent(r);
    assert.equal(r.totals.shipping, 27_000);
    assert.equal(r.totals.discount, 68_050);
    assert.equal(r.totals.grandTotal, 255_500 - 68_050 + 27_000 + 1_000);
  });

  it("a refused voucher does not take the slot from a later one only if it came first", () => {
    // The first platform voucher holds the slot even when it does not apply: the buyer must remove it.
    const r = price({
      vouchers: [voucher({ code: "BIG", minSpend: 1_000_000 }), voucher({ code: "SMALL" })],
    });
    assert.deepEqual(
      r.vouchers.map((v) => v.problem),
      ["VOUCHER_MIN_SPEND", "VOUCHER_NOT_COMBINABLE"],
    );
  });

  it("splits the platform discount across shops in proportion, adding up exactly", () => {
    const r = price({
      shopIds: ["a", "b", "c"],
      lines: [line("a", 1, 1), line("b", 1, 1), line("c", 1, 1)],
      vouchers: [voucher({ amount: 2 })],
    });
    assert.deepEqual(
      r.shops.map((s) => s.discount),
      [1, 1, 0],
    );
    assertConsistent(r);
  });

  it("free shipping covers at most its cap and the shipping charged", () => {
    const ship = new Map([
      ["a", 10_000],
      ["b", 5_000],
    ]);
    const capped = price({ shipping: ship, vouchers: [voucher({ kind: "free_shipping", amount: 9_000 })] });
    assert.equal(capped.vouchers[0]?.discount, 9_000);
    assert.deepEqual(
      capped.shops.map((s) => s.discount),
      [6_000, 3_000],
    );
    const whole = price({ shipping: ship, vouchers: [voucher({ kind: "free_shipping", amount: 50_000 })] });
    assert.equal(whole.vouchers[0]?.discount, 15_000);
    assertConsistent(whole);
    const none = price({ vouchers: [voucher({ kind: "free_shipping", amount: 50_000 })] });
    assert.equal(none.vouchers[0]?.discount, 0, "nothing to take off before a courier is chosen");
    assert.equal(none.vouchers[0]?.problem, null);
  });
});

describe("allocate", () => {
  it("gives leftover rupiah to the largest remainders, earlier first on ties", () => {
    assert.deepEqual(allocate(10, [1, 1, 1]), [4, 3, 3]);
    assert.deepEqual(allocate(100, [50, 30, 20]), [50, 30, 20]);
    assert.deepEqual(allocate(7, [2, 3]), [3, 4]); // 2.8 / 4.2
    assert.deepEqual(allocate(5, [0, 0]), [0, 0]);
    assert.deepEqual(allocate(0, [3, 4]), [0, 0]);
  });

  it("keeps precision on large amounts", () => {
    const parts = allocate(9_007_199_254_740, [3_000_000_000_001, 7, 11]);
    assert.equal(
      parts.reduce((a, b) => a + b, 0),
      9_007_199_254_740,
    );
  });
});
