import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Cart } from "@toko/contracts/toko/cart/v1/cart";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

// The real inventory process runs on a bus the cart does not read: the cart learns a SKU's stock
// only by asking inventory's GetAvailability when the variant first enters its catalog copy.
let h: Harness;
before(async () => {
  h = await startHarness({}, { inventory: true });
});
after(() => h?.stop());

const lineOf = (cart: Cart | undefined, variantId: string) =>
  cart?.shops.flatMap((s) => s.lines).find((l) => l.variantId === variantId);

describe("stock of a new cart line, from inventory", () => {
  it("is known from the first add, before any StockChanged for the SKU", async () => {
    const a = await h.newShop("Bandung", [10_000, 20_000, 30_000]);
    const [plenty, few, none] = a.variantIds as [string, string, string];
    await h.stockUp(a.owner, a.skus[0] ?? "", 40);
    await h.stockUp(a.owner, a.skus[1] ?? "", 3);
    const cart = h.cart(await h.newUser());

    const first = (await cart.addItem({ variantId: plenty, quantity: 2 })).cart;
    assert.equal(lineOf(first, plenty)?.stockStatus, "in_stock");
    assert.equal(lineOf(first, plenty)?.maxQuantity, 40);

    const second = (await cart.addItem({ variantId: few, quantity: 2 })).cart;
    assert.equal(lineOf(second, few)?.stockStatus, "low_stock");
    assert.equal(lineOf(second, few)?.maxQuantity, 3);
    // The stock bounds the line at once: a 4th unit of 3 available is refused.
    await rejectsWithCode(cart.addItem({ variantId: few, quantity: 2 }), "VALIDATION_FAILED");

    // Never stocked: inventory reports 0, so it cannot go into the cart; nothing changes.
    await rejectsWithCode(cart.addItem({ variantId: none, quantity: 1 }), "OUT_OF_STOCK");
    const after = (await cart.getCart({})).cart;
    assert.deepEqual(
      after?.shops.flatMap((s) => s.lines.map((l) => [l.variantId, l.quantity, l.stockStatus])),
      [
        [plenty, 2, "in_stock"],
        [few, 2, "low_stock"],
      ],
    );
  });

  it("a checkout's live-price refresh writes only what changed in the catalog copy", async () => {
    const a = await h.newShop("Bandung", [25_000]);
    const [variant] = a.variantIds as [string];
    await h.stockUp(a.owner, a.skus[0] ?? "", 7);
    const cart = h.cart(await h.newUser());
    await cart.addItem({ variantId: variant, quantity: 1 });
    const live = { addressId: "", shipping: [], voucherCodes: [], overrideVouchers: false, livePrices: true };
    const db = h.cartDb.pool;
    const versions = async () => {
      const v = await db.query("SELECT xmin::text AS x, price FROM catalog_variants WHERE variant_id = $1", [
        variant,
      ]);
      const s = await db.query("SELECT xmin::text AS x, available FROM stock_levels WHERE shop_id = $1", [
        a.shop.id,
      ]);
      const c = await db.query("SELECT version FROM catalog_version");
      return {
        variant: v.rows[0]?.x as string,
        price: Number(v.rows[0]?.price),
        stock: s.rows[0]?.x as string,
        available: Number(s.rows[0]?.available),
        catalog: String(c.rows[0]?.version),
      };
    };
    const before = await versions();
    assert.equal(before.price, 25_000);
    assert.equal(before.available, 7);

    // Unchanged price and stock: the refresh reads them and writes no row (nor the catalog version).
    const priced = (await cart.priceCart(live)).cart;
    assert.equal(lineOf(priced, variant)?.unitPrice?.amount, 25_000);
    assert.deepEqual(await versions(), before);

    // A copy that went stale (an event not seen yet) is written back to what the services say.
    await db.query("UPDATE catalog_variants SET price = 1 WHERE variant_id = $1", [variant]);
    await db.query("UPDATE stock_levels SET available = 2 WHERE shop_id = $1", [a.shop.id]);
    const stale = await versions();
    const repriced = (await cart.priceCart(live)).cart;
    assert.equal(lineOf(repriced, variant)?.unitPrice?.amount, 25_000);
    const after = await versions();
    assert.equal(after.price, 25_000);
    assert.equal(after.available, 7);
    assert.notEqual(after.variant, stale.variant);
    assert.notEqual(after.stock, stale.stock);
    assert.notEqual(after.catalog, stale.catalog);
  });
});
