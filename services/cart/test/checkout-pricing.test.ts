import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { VoucherKind } from "@toko/contracts/toko/cart/v1/cart";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

describe("shipping options and checkout pricing over gRPC", () => {
  it("quotes each shop's parcel from its city to the buyer's own address", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const b = await h.newShop("Surabaya", [20_000]);
    const buyer = await h.newUser();
    const address = await h.newAddress(buyer, "Bandung");
    const c = h.cart(buyer);
    await c.addItem({ variantId: a.variantIds[0] ?? "", quantity: 3 }); // 3 × 400 g, stacked 15 cm high
    await c.addItem({ variantId: b.variantIds[0] ?? "", quantity: 1 });
    h.shipping.requests.length = 0;
    const { shops } = await c.getShippingOptions({ addressId: address });
    assert.deepEqual(
      shops.map((s) => [s.shopId, s.options.map((o) => [o.id, o.price?.amount])]),
      [
        [
          a.shop.id,
          [
            ["jne-reg", 16_000],
            ["jne-yes", 30_000],
          ],
        ],
        [
          b.shop.id,
          [
            ["jne-reg", 10_000],
            ["jne-yes", 18_000],
          ],
        ],
      ],
    );
    const toA = h.shipping.requests.find((r) => r.originCity === "Bandung");
    assert.deepEqual(toA?.parcel, { weightGrams: 1_200, lengthCm: 20, widthCm: 10, heightCm: 15 });
    assert.equal(toA?.destinationCity, "Bandung");
    // Another user's address is not theirs to ship to.
    const stranger = await h.newUser();
    await h.cart(stranger).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    await rejectsWithCode(h.cart(stranger).getShippingOptions({ addressId: address }), "NOT_FOUND");
  });

  it("prices the checkout with the chosen couriers and vouchers, refusing what does not apply", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const b = await h.newShop("Surabaya", [20_000]);
    const buyer = await h.newUser();
    const address = await h.newAddress(buyer, "Bandung");
    const c = h.cart(buyer);
    await c.addItem({ variantId: a.variantIds[0] ?? "", quantity: 2 });
    await c.addItem({ variantId: b.variantIds[0] ?? "", quantity: 1 });
    const ship = await h.cart("admin", ["admin"]).createVoucher(
      h.voucher({
        kind: VoucherKind.VOUCHER_KIND_FREE_SHIPPING,
        amount: { amount: 15_000, currency: "IDR" },
      }),
    );
    await c.applyVoucher({ code: ship.voucher?.code ?? "" });
    const { cart } = await c.priceCart({
      addressId: address,
      shipping: [
        { shopId: a.shop.id, optionId: "jne-reg" }, // 8,000 (same city, 800 g)
        { shopId: b.shop.id, optionId: "jne-yes" }, // 18,000
      ],
      voucherCodes: [],
      overrideVouchers: false,
      livePrices: true,
    });
    assert.deepEqual(
      cart?.shops.map((s) => [s.shippingOptionId, s.shipping?.amount, s.discount?.amount, s.total?.amount]),
      [
        ["jne-reg", 8_000, 4_615, 103_385],
        ["jne-yes", 18_000, 10_385, 27_615],
      ],
    );
    assert.deepEqual(cart?.totals, {
      subtotal: { amount: 120_000, currency: "IDR" },
      discount: { amount: 15_000, currency: "IDR" },
      shipping: { amount: 26_000, currency: "IDR" },
      serviceFee: { amount: 1_000, currency: "IDR" },
      grandTotal: { amount: 132_000, currency: "IDR" },
    });
    const base = { addressId: address, voucherCodes: [], overrideVouchers: false, livePrices: false };
    await rejectsWithCode(
      c.priceCart({ ...base, shipping: [{ shopId: a.shop.id, optionId: "pos-kilat" }] }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(
      c.priceCart({ ...base, shipping: [{ shopId: "not-in-cart", optionId: "jne-reg" }] }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(
      c.priceCart({ ...base, shipping: [], voucherCodes: ["NO-SUCH-CODE"], overrideVouchers: true }),
      "VOUCHER_NOT_FOUND",
    );
    const big = await h
      .cart("admin", ["admin"])
      .createVoucher(h.voucher({ minSpend: { amount: 500_000, currency: "IDR" } }));
    await rejectsWithCode(
      c.priceCart({ ...base, shipping: [], voucherCodes: [big.voucher?.code ?? ""], overrideVouchers: true }),
      "VOUCHER_MIN_SPEND",
    );
    await rejectsWithCode(h.cart(await h.newUser()).priceCart({ ...base, shipping: [] }), "CART_EMPTY");
  });

  it("names the out-of-stock line, not the courier, when a chosen shop's only line ran out", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const b = await h.newShop("Surabaya", [20_000]);
    const buyer = await h.newUser();
    const address = await h.newAddress(buyer, "Bandung");
    const c = h.cart(buyer);
    await c.addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    await c.addItem({ variantId: b.variantIds[0] ?? "", quantity: 1 });
    const { shops } = await c.getShippingOptions({ addressId: address });
    const shipping = shops.map((s) => ({ shopId: s.shopId, optionId: s.options[0]?.id ?? "" }));
    // Another buyer took the last unit of shop a's product after the couriers were chosen.
    await h.stock(a.shop.id, a.skus[0] ?? "", 0);
    const { cart } = await c.priceCart({
      addressId: address,
      shipping,
      voucherCodes: [],
      overrideVouchers: false,
      livePrices: false,
    });
    const lineA = cart?.shops.find((s) => s.shop?.id === a.shop.id)?.lines[0];
    assert.deepEqual(lineA?.problems, ["OUT_OF_STOCK"]);
    assert.equal(cart?.shops.find((s) => s.shop?.id === b.shop.id)?.shippingOptionId, shipping[1]?.optionId);
  });
});
