import assert from "node:assert/strict";
import { test } from "node:test";
import { discountPercent, formatMoney, formatRupiah, parseRupiah } from "./money.ts";

test("rupiah is grouped with dots and has no decimals", () => {
  assert.equal(formatRupiah(0), "Rp0");
  assert.equal(formatRupiah(999), "Rp999");
  assert.equal(formatRupiah(150000), "Rp150.000");
  assert.equal(formatRupiah(1234567890), "Rp1.234.567.890");
  assert.equal(formatRupiah(-25000), "-Rp25.000");
  assert.equal(formatRupiah(Number.NaN), "Rp–");
});

test("API money formats by currency", () => {
  assert.equal(formatMoney({ amount: 496900, currency: "IDR" }), "Rp496.900");
  assert.equal(formatMoney({ amount: 5, currency: "USD" }), "USD 5");
  assert.equal(formatMoney(undefined), "Rp–");
});

test("the discount is the whole percent off the base price, never negative", () => {
  const idr = (amount: number) => ({ amount, currency: "IDR" });
  assert.equal(discountPercent(idr(200000), idr(150000)), 25);
  assert.equal(discountPercent(idr(300000), idr(199000)), 34);
  assert.equal(discountPercent(idr(100000), idr(100000)), 0);
  assert.equal(discountPercent(idr(100000), idr(120000)), 0);
  assert.equal(discountPercent(null, idr(1)), 0);
});

test("typed rupiah parses to whole amounts only", () => {
  assert.equal(parseRupiah("150.000"), 150000);
  assert.equal(parseRupiah("Rp 25000"), 25000);
  assert.equal(parseRupiah("12,5"), undefined);
  assert.equal(parseRupiah(""), undefined);
  assert.equal(parseRupiah("-5"), undefined);
});
