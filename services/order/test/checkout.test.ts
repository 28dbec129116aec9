import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { countRows, rejectsWithCode, waitFor, waitForValue } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

// The checkout saga over gRPC against every service it calls as a real process.
let h: Harness;

before(async () => {
  h = await startHarness({}, { ORDER_PAYMENT_TTL_MS: String(60_000) });
});
after(async () => {
  await h?.close();
});

const va = {
  paymentMethod: "bank_transfer_va",
  paymentChannel: "bca",
  voucherCodes: [],
  overrideVouchers: false,
};

describe("checkout saga", () => {
  test("happy path: checkout → paid → accepted → shipped → delivered → completed, with the payout", async () => {
    const shopA = await h.newShop(5, [100_000]);
    const shopB = await h.newShop(5, [40_000]);
    const buyer = await h.newBuyer();
    const shipping = await h.fill(buyer, [
      { variantId: shopA.variantIds[0] as string, quantity: 2 },
      { variantId: shopB.variantIds[0] as string, quantity: 1 },
    ]);
    const orders = h.orders(buyer.id);
    const req = { idempotencyKey: "k-happy", addressId: buyer.addressId, shipping, ...va };
    const res = await orders.checkout(req);
    assert.equal(res.orders.length, 2, "one order per shop");
    assert.ok(res.orders.every((o) => o.status === "AWAITING_PAYMENT"));
    assert.equal(res.payment?.method, "bank_transfer_va");
    assert.ok(res.payment?.instructions?.vaNumber, "VA instructions");
    const total = res.orders.reduce((s, o) => s + Number(o.amounts?.total?.amount), 0);
    assert.equal(Number(res.payment?.amount?.amount), total);
    assert.deepEqual(await h.level(shopA.owner, shopA.skus[0] as string), {
      onHand: 5,
      reserved: 2,
      available: 3,
    });

    // The same key and request: the same checkout, nothing new.
    const again = await orders.checkout(req);
    assert.equal(again.checkoutId, res.checkoutId);
    assert.equal(await countRows(h.db.order.pool, "orders", {}), 2);
    // The same key with another request is refused.
    await rejectsWithCode(orders.checkout({ ...req, paymentChannel: "bni" }), "IDEMPOTENCY_KEY_REUSED");

    await h.payments.simulatePayment(
      { paymentId: res.payment?.paymentId ?? "", outcome: "success" },
      h.buyerOf(buyer.id),
    );
    const orderA = res.orders.find((o) => o.shopId === shopA.shop.id);
    assert.ok(orderA);
    await h.until(buyer.id, orderA.id, "PAID");
    assert.deepEqual(await h.level(shopA.owner, shopA.skus[0] as string), {
      onHand: 3,
      reserved: 0,
      available: 3,
    });
    // The bought lines left the cart (OrderPaid reached it).
    await waitFor(async () => {
      const { cart } = await h.carts.getCart({ ref: undefined }, h.buyerOf(buyer.id));
      return (cart?.shops.length ?? 1) === 0;
    }, "the cart to drop the bought lines");

    const seller = h.orders(shopA.owner, ["buyer", "seller"]);
    // Another buyer and another seller see nothing.
    await rejectsWithCode(h.orders("someone-else").getOrder({ orderId: orderA.id }), "NOT_FOUND");
    await rejectsWithCode(
      h.orders(shopB.owner, ["buyer", "seller"]).acceptOrder({ orderId: orderA.id }),
      "NOT_FOUND",
    );
    await rejectsWithCode(seller.shipOrder({ orderId: orderA.id, pickupSlotId: "" }), "INVALID_TRANSITION");

    const pending = await seller.getSellerBalance({});
    assert.equal(
      Number(pending.pending?.amount),
      Number(orderA.amounts?.total?.amount) - Number(orderA.commission?.amount),
    );
    assert.equal(Number(pending.available?.amount), 0);

    assert.equal((await seller.acceptOrder({ orderId: orderA.id })).order?.status, "PROCESSING");
    const shipped = await seller.shipOrder({ orderId: orderA.id, pickupSlotId: "" });
    assert.equal(shipped.order?.status, "SHIPPED");
    assert.ok(shipped.shipment?.awb);
    // Shipping is idempotent per order.
    assert.equal(
      (await seller.shipOrder({ orderId: orderA.id, pickupSlotId: "" })).shipment?.awb,
      shipped.shipment?.awb,
    );

    await h.until(buyer.id, orderA.id, "DELIVERED");
    const done = await orders.completeOrder({ orderId: orderA.id });
    assert.equal(done.order?.status, "COMPLETED");
    assert.deepEqual(
      done.order?.history.map((x) => x.status),
      ["AWAITING_PAYMENT", "PAID", "PROCESSING", "SHIPPED", "DELIVERED", "COMPLETED"],
    );
    const balance = await seller.getSellerBalance({});
    const net = Number(orderA.amounts?.total?.amount) - Number(orderA.commission?.amount);
    assert.equal(Number(balance.available?.amount), net);
    assert.equal(Number(balance.pending?.amount), 0);
    assert.equal(balance.payouts.length, 1);
    const commission = Number(orderA.commission?.amount);
    // 5% of the goods plus the order's share of the service fee.
    assert.equal(commission, 10_000 + Number(orderA.amounts?.serviceFee?.amount));
  });

  test("out of stock: 409 OUT_OF_STOCK naming the line, nothing reserved, vouchers and orders not left behind", async () => {
    const shop = await h.newShop(1, [20_000]);
    const buyer = await h.newBuyer();
    const other = await h.newBuyer();
    const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity: 1 }]);
    const otherShipping = await h.fill(other, [{ variantId: shop.variantIds[0] as string, quantity: 1 }]);
    await h
      .orders(other.id)
      .checkout({ idempotencyKey: "first", addressId: other.addressId, shipping: otherShipping, ...va });
    const ordersBefore = await countRows(h.db.order.pool, "orders", { status: "AWAITING_PAYMENT" });
    const error = await rejectsWithCode(
      h.orders(buyer.id).checkout({ idempotencyKey: "late", addressId: buyer.addressId, shipping, ...va }),
      "OUT_OF_STOCK",
    );
    assert.match(JSON.stringify(error), new RegExp(shop.variantIds[0] as string));
    assert.equal(await countRows(h.db.order.pool, "orders", { status: "AWAITING_PAYMENT" }), ordersBefore);
    assert.deepEqual(await h.level(shop.owner, shop.skus[0] as string), {
      onHand: 1,
      reserved: 1,
      available: 0,
    });
    // A retry with the same key answers the same refusal.
    await rejectsWithCode(
      h.orders(buyer.id).checkout({ idempotencyKey: "late", addressId: buyer.addressId, shipping, ...va }),
      "OUT_OF_STOCK",
    );
  });

  test("a courier the cart refuses: a line out of stock still answers 409 naming it, else the courier choice 422", async () => {
    const gone = await h.newShop(1, [20_000]);
    const kept = await h.newShop(5, [15_000]);
    const buyer = await h.newBuyer();
    const other = await h.newBuyer();
    const shipping = await h.fill(buyer, [
      { variantId: gone.variantIds[0] as string, quantity: 1 },
      { variantId: kept.variantIds[0] as string, quantity: 1 },
    ]);
    const otherShipping = await h.fill(other, [{ variantId: gone.variantIds[0] as string, quantity: 1 }]);
    await h
      .orders(other.id)
      .checkout({ idempotencyKey: "takes-last", addressId: other.addressId, shipping: otherShipping, ...va });
    // The cart learns the SKU ran out (inventory's StockChanged, or its live read at checkout).
    await waitFor(async () => {
      const { cart } = await h.carts.getCart({ ref: undefined }, h.buyerOf(buyer.id));
      const line = cart?.shops.flatMap((s) => s.lines).find((l) => l.variantId === gone.variantIds[0]);
      return line?.problems.includes("OUT_OF_STOCK") === true;
    }, "the cart to see the line out of stock");
    // The kept shop's courier is one the cart does not offer: the cart refuses the couriers, and
    // only pricing the lines again without them finds the line that ran out.
    const badCourier = shipping.map((s) =>
      s.shopId === kept.shop.id ? { ...s, optionId: "no-such-courier" } : s,
    );
    const ordersBefore = await countRows(h.db.order.pool, "orders", {});
    const stockError = await rejectsWithCode(
      h
        .orders(buyer.id)
        .checkout({ idempotencyKey: "stock-first", addressId: buyer.addressId, shipping: badCourier, ...va }),
      "OUT_OF_STOCK",
    );
    assert.match(JSON.stringify(stockError), new RegExp(gone.variantIds[0] as string));
    assert.doesNotMatch(JSON.stringify(stockError), new RegExp(kept.variantIds[0] as string));
    assert.equal(await countRows(h.db.order.pool, "orders", {}), ordersBefore);
    assert.deepEqual(await h.level(kept.owner, kept.skus[0] as string), {
      onHand: 5,
      reserved: 0,
      available: 5,
    });

    // With the line that ran out taken away, the same courier choice is the refusal: 422 naming it.
    await h.carts.removeItem(
      { ref: undefined, variantId: gone.variantIds[0] as string },
      h.buyerOf(buyer.id),
    );
    const courierError = await rejectsWithCode(
      h.orders(buyer.id).checkout({
        idempotencyKey: "courier-only",
        addressId: buyer.addressId,
        shipping: badCourier.filter((s) => s.shopId === kept.shop.id),
        ...va,
      }),
      "VALIDATION_FAILED",
    );
    assert.match(JSON.stringify(courierError), /option_id/);
    assert.equal(await countRows(h.db.order.pool, "orders", {}), ordersBefore);
    assert.deepEqual(await h.level(kept.owner, kept.skus[0] as string), {
      onHand: 5,
      reserved: 0,
      available: 5,
    });
  });

  test("the buyer's address is fetched once per checkout (the cart's answer) and only their own is taken", async () => {
    const shop = await h.newShop(5, [10_000]);
    const buyer = await h.newBuyer();
    const other = await h.newBuyer("Bandung");
    const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity: 1 }]);
    const addressReads = async () => {
      const text = await (await fetch(`${h.processes.user.opsUrl}/metrics`)).text();
      let n = 0;
      for (const m of text.matchAll(/^toko_grpc_server_handled_total\{([^}]*)\} (\d+)/gm))
        if (/method="[^"]*GetAddress"/.test(m[1] ?? "")) n += Number(m[2]);
      return n;
    };

    // Someone else's address: refused as the buyer's mistake, nothing ordered or reserved.
    const ordersBefore = await countRows(h.db.order.pool, "orders", {});
    const error = await rejectsWithCode(
      h
        .orders(buyer.id)
        .checkout({ idempotencyKey: "not-mine", addressId: other.addressId, shipping, ...va }),
      "VALIDATION_FAILED",
    );
    assert.match(JSON.stringify(error), /address_id/);
    assert.equal(await countRows(h.db.order.pool, "orders", {}), ordersBefore);
    assert.deepEqual(await h.level(shop.owner, shop.skus[0] as string), {
      onHand: 5,
      reserved: 0,
      available: 5,
    });

    const before = await addressReads();
    const res = await h
      .orders(buyer.id)
      .checkout({ idempotencyKey: "one-address", addressId: buyer.addressId, shipping, ...va });
    assert.equal((await addressReads()) - before, 1, "one GetAddress for the whole checkout");
    const { rows } = await h.db.order.pool.query("SELECT destination FROM orders WHERE id = $1", [
      res.orders[0]?.id,
    ]);
    assert.deepEqual(rows[0]?.destination, {
      recipient: "Budi",
      phone: "+6281234567890",
      street: "Jl. Merdeka 1",
      district: "Kebayoran Baru",
      city: "Jakarta Selatan",
      province: "DKI Jakarta",
      postalCode: "12110",
    });
  });

  test("bad input is refused with the public field and changes nothing", async () => {
    const buyer = await h.newBuyer();
    const before = await countRows(h.db.order.pool, "checkouts", {});
    const base = { idempotencyKey: "bad", addressId: buyer.addressId, shipping: [], ...va };
    await rejectsWithCode(
      h.orders(buyer.id).checkout({ ...base, paymentMethod: "cash" }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(h.orders(buyer.id).checkout({ ...base, paymentChannel: "" }), "VALIDATION_FAILED");
    await rejectsWithCode(h.orders(buyer.id).checkout({ ...base, idempotencyKey: "" }), "VALIDATION_FAILED");
    assert.equal(await countRows(h.db.order.pool, "checkouts", {}), before);
    await rejectsWithCode(h.orders(buyer.id).getOrder({ orderId: "nope" }), "NOT_FOUND");
  });

  test("a failed payment releases the stock and cancels the orders (the compensation an expiry runs too)", async () => {
    const shop = await h.newShop(3, [30_000]);
    const buyer = await h.newBuyer();
    const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity: 2 }]);
    const res = await h
      .orders(buyer.id)
      .checkout({ idempotencyKey: "exp", addressId: buyer.addressId, shipping, ...va });
    const orderId = res.orders[0]?.id as string;
    // The payment fails at the bank: the same compensation as an expiry.
    await h.payments.simulatePayment(
      { paymentId: res.payment?.paymentId ?? "", outcome: "failure" },
      h.buyerOf(buyer.id),
    );
    const cancelled = await h.until(buyer.id, orderId, "CANCELLED");
    assert.equal(cancelled.cancelReason, "PAYMENT_FAILED");
    await waitForValue(async () => {
      const l = await h.level(shop.owner, shop.skus[0] as string);
      return l.reserved === 0 && l.available === 3 ? l : undefined;
    }, "the stock to be released");
  });

  test("cancel after payment refunds in full", async () => {
    const shop = await h.newShop(3, [25_000]);
    const buyer = await h.newBuyer();
    const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity: 1 }]);
    const res = await h.orders(buyer.id).checkout({
      idempotencyKey: "cancel",
      addressId: buyer.addressId,
      shipping,
      paymentMethod: "ewallet",
      paymentChannel: "gopay",
      voucherCodes: [],
      overrideVouchers: false,
    });
    const orderId = res.orders[0]?.id as string;
    await h.payments.simulatePayment(
      { paymentId: res.payment?.paymentId ?? "", outcome: "success" },
      h.buyerOf(buyer.id),
    );
    await h.until(buyer.id, orderId, "PAID");
    const cancelled = await h.orders(buyer.id).cancelOrder({ orderId, reason: "changed my mind" });
    assert.equal(cancelled.order?.status, "CANCELLED");
    const payment = await waitForValue(
      async () => {
        const { payment: p } = await h.payments.getPayment(
          { paymentId: res.payment?.paymentId ?? "" },
          h.buyerOf(buyer.id),
        );
        return p?.status === "REFUNDED" ? p : undefined;
      },
      "the refund",
      60_000,
    );
    assert.equal(Number(payment.refunded?.amount), Number(res.orders[0]?.amounts?.total?.amount));
    // Cancelling again changes nothing; a cancelled order cannot be accepted.
    assert.equal((await h.orders(buyer.id).cancelOrder({ orderId, reason: "" })).order?.status, "CANCELLED");
    await rejectsWithCode(
      h.orders(shop.owner, ["buyer", "seller"]).acceptOrder({ orderId }),
      "INVALID_TRANSITION",
    );
  });
});
