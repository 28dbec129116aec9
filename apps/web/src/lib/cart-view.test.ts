import assert from "node:assert/strict";
import { test } from "node:test";
import type { Cart, CartLine, ShippingOption } from "./api-types.ts";
import { cartView, cheapestChoices, problemText } from "./cart-view.ts";

const idr = (amount: number) => ({ amount, currency: "IDR" });
const line = (
  variant: string,
  quantity: number,
  price: number,
  problems: CartLine["problems"] = [],
): CartLine => ({
  variant_id: variant,
  product_id: `p-${variant}`,
  sku: variant.toUpperCase(),
  title: `Item ${variant}`,
  options: {},
  image_url: null,
  quantity,
  unit_price: idr(price),
  line_total: idr(price * quantity),
  stock_status: "in_stock",
  problems,
});
const option = (id: string, price: number, max = 3): ShippingOption => ({
  id,
  carrier: "JNE",
  service: id,
  price: idr(price),
  etd_days: { min: 1, max },
});

function cart(): Cart {
  return {
    shops: [
      {
        shop: { id: "s1", name: "Toko A", city: "Bandung" },
        lines: [line("a", 2, 10000), line("b", 1, 5000)],
        subtotal: idr(25000),
        discount: idr(0),
      },
      {
        shop: { id: "s2", name: "Toko B", city: "Medan" },
        lines: [line("c", 3, 1000)],
        subtotal: idr(3000),
        discount: idr(500),
      },
      { shop: { id: "s3", name: "Empty", city: "Solo" }, lines: [], subtotal: idr(0), discount: idr(0) },
    ],
    vouchers: [],
    totals: {
      subtotal: idr(28000),
      discount: idr(500),
      shipping: idr(0),
      service_fee: idr(1000),
      grand_total: idr(28500),
    },
  };
}

test("lines stay grouped per shop with item counts; an empty shop block is dropped", () => {
  const view = cartView(cart());
  assert.deepEqual(
    view.groups.map((g) => [g.shopName, g.itemCount, g.subtotal]),
    [
      ["Toko A", 3, 25000],
      ["Toko B", 3, 3000],
    ],
  );
  assert.equal(view.itemCount, 6);
  assert.deepEqual(view.blockers, []);
});

test("chosen couriers add their price to the total and every shop must choose", () => {
  const options = new Map([
    ["s1", [option("reg", 9000), option("yes", 18000, 1)]],
    ["s2", [option("ez", 7000)]],
  ]);
  const partial = cartView(cart(), options, new Map([["s1", "yes"]]));
  assert.equal(partial.shipping, 18000);
  assert.deepEqual(partial.blockers, ["CHOOSE_COURIER"]);
  const full = cartView(cart(), options, cheapestChoices(options));
  assert.equal(full.shipping, 16000);
  assert.equal(full.grandTotal, 28500 + 16000);
  assert.deepEqual(full.blockers, []);
});

test("a line with a problem or an empty cart blocks checkout", () => {
  const c = cart();
  c.shops[0]!.lines[0] = line("a", 2, 10000, [{ code: "OUT_OF_STOCK", message: "out of stock" }]);
  assert.deepEqual(cartView(c).blockers, ["LINE_PROBLEMS"]);
  assert.equal(cartView(c).groups[0]!.hasProblems, true);
  assert.deepEqual(cartView({ ...c, shops: [] }).blockers, ["EMPTY"]);
  assert.equal(problemText({ code: "REPRICED" }), "REPRICED");
  assert.equal(problemText("ARCHIVED"), "ARCHIVED");
});
