import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Cart, CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import { servicePrincipal } from "@toko/kit";
import { countRows, rejectsWithCode, testPrincipal, waitFor } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const lineOf = (cart: Cart | undefined, variantId: string) =>
  cart?.shops.flatMap((s) => s.lines).find((l) => l.variantId === variantId);

describe("cart lines over gRPC", () => {
  it("groups lines per shop with live prices and totals", async () => {
    const a = await h.newShop("Bandung", [50_000, 65_000]);
    const b = await h.newShop("Surabaya", [12_500]);
    const buyer = await h.newUser();
    const cart = h.cart(buyer);
    await cart.addItem({ variantId: a.variantIds[0] ?? "", quantity: 2 });
    await cart.addItem({ variantId: b.variantIds[0] ?? "", quantity: 3 });
    const { cart: got } = await cart.addItem({ variantId: a.variantIds[1] ?? "", quantity: 1 });
    assert.deepEqual(
      got?.shops.map((s) => [s.shop?.id, s.shop?.city, s.lines.map((l) => l.quantity), s.subtotal?.amount]),
      [
        [a.shop.id, "Bandung", [2, 1], 165_000],
        [b.shop.id, "Surabaya", [3], 37_500],
      ],
    );
    const line = lineOf(got, a.variantIds[0] ?? "");
    assert.equal(line?.sku, a.skus[0]);
    assert.equal(line?.unitPrice?.amount, 50_000);
    assert.equal(line?.lineTotal?.amount, 100_000);
    assert.equal(line?.weightGrams, 400);
    assert.deepEqual(line?.problems, []);
    assert.deepEqual(got?.totals, {
      subtotal: { amount: 202_500, currency: "IDR" },
      discount: { amount: 0, currency: "IDR" },
      shipping: { amount: 0, currency: "IDR" },
      serviceFee: { amount: 1_000, currency: "IDR" },
      grandTotal: { amount: 203_500, currency: "IDR" },
    });
    // Adding the same variant again adds to its line.
    const { cart: again } = await cart.addItem({ variantId: a.variantIds[0] ?? "", quantity: 3 });
    assert.equal(lineOf(again, a.variantIds[0] ?? "")?.quantity, 5);
    const { cart: edited } = await cart.updateItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    assert.equal(lineOf(edited, a.variantIds[0] ?? "")?.quantity, 1);
    const { cart: removed } = await cart.removeItem({ variantId: b.variantIds[0] ?? "" });
    assert.deepEqual(
      removed?.shops.map((s) => s.shop?.id),
      [a.shop.id],
    );
  });

  it("concurrent adds to one cart lose no unit, from the first add that creates the cart on", async () => {
    const a = await h.newShop("Bandung", [10_000, 20_000, 30_000]);
    const variants = a.variantIds;
    const v = (i: number) => variants[i % 3] ?? "";
    // The variants are in the catalog copy already (another buyer added them), so the race is
    // about the cart, not about fetching the variants.
    for (const id of variants) await h.cart(await h.newUser()).addItem({ variantId: id, quantity: 1 });
    // Queued behind each other on one cart row, the last may wait long on a busy machine.
    const patient = { deadlineMs: 60_000 };
    const buyer = await h.newUser();
    const cart = h.svc.client(CartServiceClient, { principal: testPrincipal(buyer, ["buyer"]), ...patient });
    // 18 adds at once, the first ones racing to create the buyer's cart.
    const answers = await Promise.all(
      Array.from({ length: 18 }, (_, i) => cart.addItem({ variantId: v(i), quantity: 1 })),
    );
    const got = (await cart.getCart({})).cart;
    assert.deepEqual(
      variants.map((id) => lineOf(got, id)?.quantity),
      [6, 6, 6],
    );
    assert.equal(got?.totals?.subtotal?.amount, 360_000);
    // Each answer is the cart as its own add left it: that line holds at least one unit, and no
    // line more than the end state.
    for (const [i, answer] of answers.entries()) {
      assert.ok((lineOf(answer.cart, v(i))?.quantity ?? 0) >= 1);
      for (const id of variants) assert.ok((lineOf(answer.cart, id)?.quantity ?? 0) <= 6);
    }
    // A guest's cart likewise.
    const guest = h.svc.client(CartServiceClient, patient);
    const { cartToken } = await guest.addItem({ variantId: v(0), quantity: 1 });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        guest.addItem({ ref: { cartToken }, variantId: v(i % 2), quantity: 2 }),
      ),
    );
    const guestCart = (await guest.getCart({ ref: { cartToken } })).cart;
    assert.deepEqual([lineOf(guestCart, v(0))?.quantity, lineOf(guestCart, v(1))?.quantity], [13, 12]);
  });

  it("refuses bad quantities and unknown variants and changes nothing", async () => {
    const a = await h.newShop("Bandung", [10_000], { minOrder: 2 });
    const buyer = await h.newUser();
    const cart = h.cart(buyer);
    const v = a.variantIds[0] ?? "";
    const linesBefore = await countRows(h.cartDb.pool, "cart_lines");
    for (const quantity of [0, -1, 51])
      await rejectsWithCode(cart.addItem({ variantId: v, quantity }), "VALIDATION_FAILED");
    await rejectsWithCode(cart.addItem({ variantId: v, quantity: 1 }), "VALIDATION_FAILED"); // below min order 2
    await rejectsWithCode(cart.addItem({ variantId: "no-such-variant", quantity: 1 }), "NOT_FOUND");
    assert.equal(await countRows(h.cartDb.pool, "cart_lines"), linesBefore);
    assert.equal(await countRows(h.cartDb.pool, "carts", { owner_id: buyer }), 0, "a refusal opens no cart");
    await cart.addItem({ variantId: v, quantity: 50 });
    await rejectsWithCode(cart.addItem({ variantId: v, quantity: 1 }), "VALIDATION_FAILED"); // 51 > max
    await rejectsWithCode(cart.updateItem({ variantId: v, quantity: 0 }), "VALIDATION_FAILED");
    await rejectsWithCode(cart.updateItem({ variantId: "other", quantity: 1 }), "NOT_FOUND");
    const { cart: got } = await cart.getCart({});
    assert.equal(lineOf(got, v)?.quantity, 50);
  });

  it("keeps the projection fresh from product events: price, stock, archival", async () => {
    const a = await h.newShop("Bandung", [40_000]);
    const buyer = await h.newUser();
    const cart = h.cart(buyer);
    const v = a.variantIds[0] ?? "";
    await cart.addItem({ variantId: v, quantity: 2 });
    // The seller changes the price: the product service publishes PriceChanged.
    await a.catalog.client.updateProduct(
      {
        productId: a.product.id,
        variants: {
          variants: [
            {
              sku: a.skus[0] ?? "",
              options: [{ name: "Varian", value: "V0" }],
              price: { amount: 45_000, currency: "IDR" },
            },
          ],
        },
        images: undefined,
        attributes: undefined,
      },
      { principal: a.catalog.principal },
    );
    await waitFor(
      async () => lineOf((await cart.getCart({})).cart, v)?.unitPrice?.amount === 45_000,
      "the new price",
    );
    let line = lineOf((await cart.getCart({})).cart, v);
    assert.deepEqual(line?.problems, ["PRICE_CHANGED"]);
    assert.equal(line?.priceWhenAdded?.amount, 40_000);
    assert.equal(
      (await cart.getCart({})).cart?.totals?.subtotal?.amount,
      90_000,
      "a repriced line still counts",
    );
    // Editing the line shows the buyer the new price: the problem goes away.
    await cart.updateItem({ variantId: v, quantity: 2 });
    assert.deepEqual(lineOf((await cart.getCart({})).cart, v)?.problems, []);

    await h.stock(a.shop.id, a.skus[0] ?? "", 1);
    line = lineOf((await cart.getCart({})).cart, v);
    assert.equal(line?.stockStatus, "low_stock");
    assert.deepEqual(line?.problems, ["ABOVE_STOCK"]);
    assert.equal(line?.maxQuantity, 1);
    await rejectsWithCode(cart.addItem({ variantId: v, quantity: 1 }), "VALIDATION_FAILED");
    await h.stock(a.shop.id, a.skus[0] ?? "", 0);
    line = lineOf((await cart.getCart({})).cart, v);
    assert.equal(line?.stockStatus, "out_of_stock");
    assert.deepEqual(line?.problems, ["OUT_OF_STOCK"]);
    assert.equal(
      (await cart.getCart({})).cart?.totals?.grandTotal?.amount,
      0,
      "an unsellable line is not charged",
    );
    await rejectsWithCode(cart.addItem({ variantId: v, quantity: 1 }), "OUT_OF_STOCK");
    await h.stock(a.shop.id, a.skus[0] ?? "", 10);

    await a.catalog.client.archiveProduct({ productId: a.product.id }, { principal: a.catalog.principal });
    await waitFor(
      async () => (lineOf((await cart.getCart({})).cart, v)?.problems ?? []).includes("PRODUCT_ARCHIVED"),
      "the archival",
    );
    await rejectsWithCode(cart.addItem({ variantId: v, quantity: 1 }), "PRODUCT_ARCHIVED");
  });

  it("gives a guest a cart by token, and merges it into the user's cart at sign-in", async () => {
    const a = await h.newShop("Bandung", [20_000, 30_000]);
    const [v0, v1] = a.variantIds as [string, string];
    const guest = h.cart();
    assert.deepEqual((await guest.getCart({})).cart?.shops, [], "no token, no cart yet");
    const first = await guest.addItem({ variantId: v0, quantity: 30 });
    const token = first.cartToken;
    assert.match(token, /^ct_[A-Za-z0-9_-]{43}$/);
    const second = await guest.addItem({ ref: { cartToken: token }, variantId: v1, quantity: 1 });
    assert.equal(second.cartToken, "", "the token is given once");
    assert.equal((await guest.getCart({ ref: { cartToken: token } })).cart?.shops[0]?.lines.length, 2);
    await rejectsWithCode(guest.getCart({ ref: { cartToken: `ct_${"A".repeat(43)}` } }), "NOT_FOUND");
    await rejectsWithCode(
      guest.addItem({ ref: { cartToken: "forged" }, variantId: v0, quantity: 1 }),
      "NOT_FOUND",
    );

    const buyer = await h.newUser();
    const mine = h.cart(buyer);
    await mine.addItem({ variantId: v0, quantity: 25 });
    await rejectsWithCode(mine.mergeCart({ cartToken: `ct_${"B".repeat(43)}` }), "NOT_FOUND");
    const { cart: merged } = await mine.mergeCart({ cartToken: token });
    assert.equal(lineOf(merged, v0)?.quantity, 50, "25 + 30 capped at the line maximum");
    assert.equal(lineOf(merged, v1)?.quantity, 1);
    await rejectsWithCode(guest.getCart({ ref: { cartToken: token } }), "NOT_FOUND");
    await rejectsWithCode(mine.mergeCart({ cartToken: token }), "NOT_FOUND");
    await rejectsWithCode(guest.mergeCart({ cartToken: token }), "UNAUTHENTICATED");
  });

  it("merges within the stock once inventory reported it", async () => {
    const a = await h.newShop("Bandung", [20_000]);
    const v = a.variantIds[0] ?? "";
    await h.stock(a.shop.id, a.skus[0] ?? "", 4);
    const guest = h.cart();
    const { cartToken } = await guest.addItem({ variantId: v, quantity: 3 });
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: v, quantity: 2 });
    const { cart } = await h.cart(buyer).mergeCart({ cartToken });
    assert.equal(lineOf(cart, v)?.quantity, 4);
  });

  it("another user's cart is never reachable: each caller has their own", async () => {
    const a = await h.newShop("Bandung", [20_000]);
    const alice = await h.newUser();
    const bob = await h.newUser();
    await h.cart(alice).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    assert.deepEqual((await h.cart(bob).getCart({})).cart?.shops, []);
    await rejectsWithCode(h.cart(bob).removeItem({ variantId: a.variantIds[0] ?? "" }), "NOT_FOUND");
    assert.equal((await h.cart(alice).getCart({})).cart?.shops.length, 1);
  });

  it("serves guests only the guest actions; a service acting as itself has no cart", async () => {
    const a = await h.newShop("Bandung", [20_000]);
    const variantId = a.variantIds[0] ?? "";
    // The guest actions work without a principal (the cart reads the catalog as itself).
    const guest = h.cart();
    const { cartToken } = await guest.addItem({ variantId, quantity: 1 });
    const ref = { cartToken };
    assert.equal(lineOf((await guest.getCart({ ref })).cart, variantId)?.quantity, 1);
    await guest.updateItem({ ref, variantId, quantity: 2 });
    await guest.removeItem({ ref, variantId });
    // Everything else needs a signed-in caller.
    const refused = [
      () => guest.mergeCart({ cartToken }),
      () => guest.applyVoucher({ code: "HEMAT10" }),
      () => guest.removeVoucher({ code: "HEMAT10" }),
      () => guest.getShippingOptions({ addressId: "a" }),
      () =>
        guest.priceCart({
          addressId: "a",
          shipping: [],
          voucherCodes: [],
          overrideVouchers: false,
          livePrices: false,
        }),
      () => guest.listVouchers({ scope: 0, page: undefined }),
    ];
    for (const call of refused) await rejectsWithCode(call(), "UNAUTHENTICATED");
    // The order service prices a checkout with the buyer's principal, never as itself.
    const order = h.svc.client(CartServiceClient, { principal: servicePrincipal("order") });
    await rejectsWithCode(
      order.priceCart({
        addressId: "a",
        shipping: [],
        voucherCodes: [],
        overrideVouchers: false,
        livePrices: false,
      }),
      "FORBIDDEN",
    );
    await rejectsWithCode(order.getCart({}), "FORBIDDEN");
  });

  it("removes paid lines when the order is paid", async () => {
    const a = await h.newShop("Bandung", [20_000, 5_000]);
    const [v0, v1] = a.variantIds as [string, string];
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: v0, quantity: 2 });
    await h.cart(buyer).addItem({ variantId: v1, quantity: 5 });
    await h.orderPaid({
      checkoutId: "co-paid-lines",
      buyerId: buyer,
      shopId: a.shop.id,
      lines: [
        { variantId: v0, quantity: 2 },
        { variantId: v1, quantity: 3 },
      ],
      voucherCodes: [],
    });
    const { cart } = await h.cart(buyer).getCart({});
    assert.equal(lineOf(cart, v0), undefined);
    assert.equal(lineOf(cart, v1)?.quantity, 2);
  });

  it("prunes idle carts", async () => {
    const a = await h.newShop("Bandung", [20_000]);
    const guest = h.cart();
    const { cartToken } = await guest.addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    // Fifteen days later: past the guest TTL (14 d), within the user TTL (60 d). The prune timer is due now.
    h.clock.pinned = Date.now() + 15 * 86_400_000;
    try {
      await h.cartDb.pool.query("UPDATE kit_timers SET due_at = now() WHERE kind = 'cart.prune'");
      await waitFor(async () => {
        try {
          await guest.getCart({ ref: { cartToken } });
          return false;
        } catch {
          return true;
        }
      }, "the guest cart to be pruned");
      assert.equal((await h.cart(buyer).getCart({})).cart?.shops.length, 1);
    } finally {
      h.clock.pinned = undefined;
    }
  });
});
