import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { VoucherKind, VoucherScope } from "@toko/contracts/toko/cart/v1/cart";
import { countRows, rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const idr = (amount: number) => ({ amount, currency: "IDR" });
const admin = (h: Harness) => h.cart("admin-1", ["admin"]);

describe("vouchers over gRPC", () => {
  it("admins create platform vouchers; sellers create their shop's; others are refused", async () => {
    const a = await h.newShop("Bandung", [10_000]);
    const created = await admin(h).createVoucher(
      h.voucher({
        code: "hemat10",
        kind: VoucherKind.VOUCHER_KIND_PERCENT,
        percentOff: 10,
        amount: undefined,
        maxDiscount: idr(25_000),
      }),
    );
    assert.equal(created.voucher?.code, "HEMAT10");
    assert.equal(created.voucher?.scope, VoucherScope.VOUCHER_SCOPE_PLATFORM);
    await rejectsWithCode(admin(h).createVoucher(h.voucher({ code: "HEMAT10" })), "VOUCHER_CODE_TAKEN");
    await rejectsWithCode(h.cart("buyer-x").createVoucher(h.voucher({})), "FORBIDDEN");
    const shopVoucher = await h
      .cart(a.owner, ["buyer", "seller"])
      .createVoucher(h.voucher({ scope: VoucherScope.VOUCHER_SCOPE_SHOP }));
    assert.equal(shopVoucher.voucher?.shopId, a.shop.id, "the seller's own shop");
    await rejectsWithCode(
      h.cart("no-shop", ["seller"]).createVoucher(h.voucher({ scope: VoucherScope.VOUCHER_SCOPE_SHOP })),
      "NO_SHOP",
    );
    // A role is used only with its API scope (a token granted without it cannot act on it).
    const noSellerScope = h.cart(a.owner, ["buyer", "seller"], ["buyer"]);
    await rejectsWithCode(
      noSellerScope.createVoucher(h.voucher({ code: "TOKOKU5", scope: VoucherScope.VOUCHER_SCOPE_SHOP })),
      "FORBIDDEN",
    );
    await rejectsWithCode(
      noSellerScope.listVouchers({ scope: VoucherScope.VOUCHER_SCOPE_SHOP, page: undefined }),
      "FORBIDDEN",
    );
    const noAdminScope = h.cart("admin-2", ["admin"], []);
    await rejectsWithCode(noAdminScope.createVoucher(h.voucher({ code: "ADMIN5" })), "FORBIDDEN");
    await rejectsWithCode(
      noAdminScope.listVouchers({ scope: VoucherScope.VOUCHER_SCOPE_PLATFORM, page: undefined }),
      "FORBIDDEN",
    );
    const bad = admin(h).createVoucher(
      h.voucher({ code: "x", kind: VoucherKind.VOUCHER_KIND_PERCENT, percentOff: 101, endsAt: new Date(0) }),
    );
    await rejectsWithCode(bad, "VALIDATION_FAILED");
    const mine = await h
      .cart(a.owner, ["seller"])
      .listVouchers({ scope: VoucherScope.VOUCHER_SCOPE_SHOP, page: undefined });
    assert.deepEqual(
      mine.vouchers.map((v) => v.id),
      [shopVoucher.voucher?.id],
    );
    const platform = await admin(h).listVouchers({
      scope: VoucherScope.VOUCHER_SCOPE_PLATFORM,
      page: { limit: 100, cursor: "" },
    });
    assert.ok(platform.vouchers.some((v) => v.code === "HEMAT10"));
    assert.ok(platform.vouchers.every((v) => v.scope === VoucherScope.VOUCHER_SCOPE_PLATFORM));
  });

  it("applies at the minimum spend exactly, refuses one rupiah below, and changes nothing on refusal", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 2 });
    const exact = await admin(h).createVoucher(h.voucher({ minSpend: idr(100_000) }));
    const above = await admin(h).createVoucher(
      h.voucher({ minSpend: idr(100_001), kind: VoucherKind.VOUCHER_KIND_FREE_SHIPPING }),
    );
    await rejectsWithCode(
      h.cart(buyer).applyVoucher({ code: above.voucher?.code ?? "" }),
      "VOUCHER_MIN_SPEND",
    );
    assert.equal(await countRows(h.cartDb.pool, "cart_vouchers"), 0);
    const { cart } = await h.cart(buyer).applyVoucher({ code: exact.voucher?.code.toLowerCase() ?? "" });
    assert.deepEqual(
      cart?.vouchers.map((v) => [v.code, v.discount?.amount, v.problem]),
      [[exact.voucher?.code, 10_000, ""]],
    );
    assert.equal(cart?.totals?.grandTotal?.amount, 100_000 - 10_000 + 1_000);
    await rejectsWithCode(h.cart(buyer).applyVoucher({ code: "NOPE-NOT-HERE" }), "VOUCHER_NOT_FOUND");
    // The cart shrinks below the minimum: the voucher stays, discounting nothing, and says why.
    const { cart: shrunk } = await h
      .cart(buyer)
      .updateItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    assert.deepEqual(
      shrunk?.vouchers.map((v) => [v.discount?.amount, v.problem]),
      [[0, "VOUCHER_MIN_SPEND"]],
    );
    await h.cart(buyer).removeVoucher({ code: exact.voucher?.code ?? "" });
    await rejectsWithCode(h.cart(buyer).removeVoucher({ code: exact.voucher?.code ?? "" }), "NOT_FOUND");
  });

  it("is valid until the expiry instant and not from it", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    const endsAt = new Date(Date.now() + 3_600_000);
    const v = await admin(h).createVoucher(h.voucher({ endsAt }));
    const later = await admin(h).createVoucher(
      h.voucher({
        kind: VoucherKind.VOUCHER_KIND_FREE_SHIPPING,
        startsAt: new Date(Date.now() + 3_600_000),
        endsAt: new Date(Date.now() + 7_200_000),
      }),
    );
    try {
      h.clock.pinned = endsAt.getTime();
      await rejectsWithCode(h.cart(buyer).applyVoucher({ code: v.voucher?.code ?? "" }), "VOUCHER_EXPIRED");
      h.clock.pinned = endsAt.getTime() - 1;
      await h.cart(buyer).applyVoucher({ code: v.voucher?.code ?? "" });
      h.clock.pinned = endsAt.getTime();
      const { cart } = await h.cart(buyer).getCart({});
      assert.equal(cart?.vouchers[0]?.problem, "VOUCHER_EXPIRED");
      assert.equal(cart?.totals?.discount?.amount, 0);
      await rejectsWithCode(
        h.cart(buyer).applyVoucher({ code: later.voucher?.code ?? "" }),
        "VOUCHER_NOT_STARTED",
      );
    } finally {
      h.clock.pinned = undefined;
    }
  });

  it("stacks one platform discount, one free-shipping and one voucher per shop", async () => {
    const a = await h.newShop("Bandung", [100_000]);
    const b = await h.newShop("Bandung", [40_000]);
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    await h.cart(buyer).addItem({ variantId: b.variantIds[0] ?? "", quantity: 1 });
    const plat = await admin(h).createVoucher(
      h.voucher({ kind: VoucherKind.VOUCHER_KIND_PERCENT, percentOff: 5, amount: undefined }),
    );
    const plat2 = await admin(h).createVoucher(h.voucher({}));
    const ship = await admin(h).createVoucher(
      h.voucher({ kind: VoucherKind.VOUCHER_KIND_FREE_SHIPPING, amount: idr(20_000) }),
    );
    const shopA = await h
      .cart(a.owner, ["seller"])
      .createVoucher(h.voucher({ scope: VoucherScope.VOUCHER_SCOPE_SHOP, amount: idr(15_000) }));
    const shopA2 = await h
      .cart(a.owner, ["seller"])
      .createVoucher(h.voucher({ scope: VoucherScope.VOUCHER_SCOPE_SHOP }));
    const c = h.cart(buyer);
    for (const v of [plat, ship, shopA]) await c.applyVoucher({ code: v.voucher?.code ?? "" });
    await rejectsWithCode(c.applyVoucher({ code: plat2.voucher?.code ?? "" }), "VOUCHER_NOT_COMBINABLE");
    await rejectsWithCode(c.applyVoucher({ code: shopA2.voucher?.code ?? "" }), "VOUCHER_NOT_COMBINABLE");
    const { cart } = await c.getCart({});
    // Shop A: 100,000 - 15,000 = 85,000; plus shop B 40,000 → 5% of 125,000 = 6,250 split 4,250 / 2,000.
    assert.deepEqual(
      cart?.shops.map((s) => [s.subtotal?.amount, s.discount?.amount]),
      [
        [100_000, 19_250],
        [40_000, 2_000],
      ],
    );
    assert.equal(cart?.totals?.discount?.amount, 21_250);
  });

  it("holds uses at checkout under the limit even when checkouts race, finalises on payment, gives back on cancel", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const limited = await admin(h).createVoucher(h.voucher({ totalLimit: 3 }));
    const code = limited.voucher?.code ?? "";
    const buyers = await Promise.all(Array.from({ length: 8 }, () => h.newUser()));
    for (const buyer of buyers) {
      await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
      await h.cart(buyer).applyVoucher({ code });
    }
    const results = await Promise.allSettled(
      buyers.map((buyer, i) =>
        h
          .cart(buyer)
          .reserveVouchers({ checkoutId: `co-race-${i}`, pricing: undefined, expiresAt: undefined }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    assert.equal(won.length, 3, "exactly the limit");
    for (const r of results)
      if (r.status === "rejected") assert.equal((r.reason as { code: string }).code, "VOUCHER_USED_UP");
    assert.equal(
      await countRows(h.cartDb.pool, "voucher_uses", { voucher_id: limited.voucher?.id ?? "" }),
      3,
    );
    const winner = results.findIndex((r) => r.status === "fulfilled");
    const winnerId = buyers[winner] ?? "";
    // Idempotent per checkout: a retry holds nothing more and is not refused by its own hold.
    await h
      .cart(winnerId)
      .reserveVouchers({ checkoutId: `co-race-${winner}`, pricing: undefined, expiresAt: undefined });
    assert.equal(
      await countRows(h.cartDb.pool, "voucher_uses", { voucher_id: limited.voucher?.id ?? "" }),
      3,
    );
    const loser = buyers[results.findIndex((r) => r.status === "rejected")] ?? "";
    const { cart } = await h.cart(loser).getCart({});
    assert.equal(cart?.vouchers[0]?.problem, "VOUCHER_USED_UP");

    // The winner pays: the use is final, the voucher leaves their cart.
    await h.orderPaid({
      checkoutId: `co-race-${winner}`,
      buyerId: winnerId,
      shopId: a.shop.id,
      lines: [],
      voucherCodes: [code],
    });
    const paid = await h.cartDb.pool.query("SELECT status FROM voucher_uses WHERE checkout_id = $1", [
      `co-race-${winner}`,
    ]);
    assert.deepEqual(paid.rows, [{ status: "redeemed" }]);
    assert.deepEqual((await h.cart(winnerId).getCart({})).cart?.vouchers, []);
    // Another winner's order is cancelled: its use is given back and a loser can take it.
    const other = results.findIndex((r, i) => r.status === "fulfilled" && i !== winner);
    await h.orderCancelled({
      checkoutId: `co-race-${other}`,
      buyerId: buyers[other] ?? "",
      shopId: a.shop.id,
      voucherCodes: [code],
    });
    assert.equal(
      await countRows(h.cartDb.pool, "voucher_uses", { voucher_id: limited.voucher?.id ?? "" }),
      2,
    );
    await h.cart(loser).reserveVouchers({ checkoutId: "co-late", pricing: undefined, expiresAt: undefined });
  });

  it("holds nothing for a cart with a line that cannot be bought, and holds once it can", async () => {
    const a = await h.newShop("Bandung", [50_000, 40_000]);
    const v = await admin(h).createVoucher(h.voucher({ perUserLimit: 1 }));
    const code = v.voucher?.code ?? "";
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    await h.cart(buyer).addItem({ variantId: a.variantIds[1] ?? "", quantity: 1 });
    await h.cart(buyer).applyVoucher({ code });
    const uses = () => countRows(h.cartDb.pool, "voucher_uses", { voucher_id: v.voucher?.id ?? "" });
    await h.stock(a.shop.id, a.skus[1] ?? "", 0);
    const refused = await h
      .cart(buyer)
      .reserveVouchers({ checkoutId: "co-blocked", pricing: undefined, expiresAt: undefined });
    const lines = refused.cart?.shops.flatMap((s) => s.lines) ?? [];
    assert.deepEqual(
      lines.map((l) => l.problems),
      [[], ["OUT_OF_STOCK"]],
    );
    assert.equal(await uses(), 0, "a checkout that must refuse the cart leaves the voucher free");
    await h.stock(a.shop.id, a.skus[1] ?? "", 5);
    await h
      .cart(buyer)
      .reserveVouchers({ checkoutId: "co-blocked", pricing: undefined, expiresAt: undefined });
    assert.equal(await uses(), 1);
  });

  it("gives back a hold when it expires and enforces the per-user limit", async () => {
    const a = await h.newShop("Bandung", [50_000]);
    const once = await admin(h).createVoucher(h.voucher({ perUserLimit: 1 }));
    const code = once.voucher?.code ?? "";
    const buyer = await h.newUser();
    await h.cart(buyer).addItem({ variantId: a.variantIds[0] ?? "", quantity: 1 });
    await h.cart(buyer).applyVoucher({ code });
    const expiresAt = new Date(Date.now() + 60_000);
    await h.cart(buyer).reserveVouchers({ checkoutId: "co-once-1", pricing: undefined, expiresAt });
    await rejectsWithCode(
      h.cart(buyer).reserveVouchers({ checkoutId: "co-once-2", pricing: undefined, expiresAt }),
      "VOUCHER_USED_UP",
    );
    try {
      h.clock.pinned = expiresAt.getTime();
      await h.cart(buyer).reserveVouchers({
        checkoutId: "co-once-2",
        pricing: undefined,
        expiresAt: new Date(expiresAt.getTime() + 60_000),
      });
    } finally {
      h.clock.pinned = undefined;
    }
  });
});
