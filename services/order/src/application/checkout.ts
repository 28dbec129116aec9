import { createHash } from "node:crypto";
import { DomainError, type FieldViolation } from "@toko/kit";
import { checkPaymentMethod, lineCommission, type OrderLineItem, splitFee } from "../domain/order.ts";
import { moveOrder } from "./lifecycle.ts";
import type { CheckoutRecord, Failure, OrderRecord, ReserveLine } from "./model.ts";
import type { OrderDeps, OrderTx, PricedCart, PricingRequest, ReservedCart } from "./ports.ts";

export interface CheckoutInput {
  idempotencyKey: string;
  addressId: string;
  shipping: { shopId: string; optionId: string }[];
  paymentMethod: string;
  paymentChannel: string;
  voucherCodes: string[] | null;
}

export interface CheckoutView {
  checkout: CheckoutRecord;
  orders: OrderRecord[];
}

/** How long a checkout may stay PRICING (its request still running) before it counts as abandoned. */
const PRICING_GRACE_MS = 60_000;
const KEY = /^[\x21-\x7e]{1,255}$/;
const ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Problems that keep a line out of the cart's totals: the checkout refuses them. */
const STOCK_PROBLEMS = new Set(["OUT_OF_STOCK", "ABOVE_STOCK"]);

function validate(input: CheckoutInput) {
  const out: FieldViolation[] = [];
  if (!KEY.test(input.idempotencyKey))
    out.push({ field: "Idempotency-Key", message: "is required: 1-255 visible ASCII characters" });
  if (!ID.test(input.addressId)) out.push({ field: "address_id", message: "is required" });
  const shops = new Set<string>();
  input.shipping.forEach((s, i) => {
    if (!ID.test(s.shopId)) out.push({ field: `shipping[${i}].shop_id`, message: "is required" });
    if (!ID.test(s.optionId)) out.push({ field: `shipping[${i}].option_id`, message: "is required" });
    if (shops.has(s.shopId)) out.push({ field: `shipping[${i}].shop_id`, message: "is named twice" });
    shops.add(s.shopId);
  });
  (input.voucherCodes ?? []).forEach((c, i) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(c))
      out.push({ field: `voucher_codes[${i}]`, message: "is not a voucher code" });
  });
  const method = checkPaymentMethod(input.paymentMethod, input.paymentChannel, out);
  if (out.length > 0 || !method)
    throw new DomainError("invalid", "VALIDATION_FAILED", "invalid checkout", out);
  return method;
}

function fingerprintOf(input: CheckoutInput, method: string, channel: string): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        input.addressId,
        [...input.shipping].sort((a, b) => (a.shopId < b.shopId ? -1 : 1)).map((s) => [s.shopId, s.optionId]),
        method,
        channel,
        input.voucherCodes === null ? null : [...input.voucherCodes].map((c) => c.toUpperCase()).sort(),
      ]),
    )
    .digest("hex");
}

function failureError(f: Failure): DomainError {
  const kind =
    f.code === "OUT_OF_STOCK"
      ? "failed_precondition"
      : f.code === "VALIDATION_FAILED"
        ? "invalid"
        : "failed_precondition";
  return new DomainError(kind, f.code, f.message, f.violations);
}

const pricingOf = (input: CheckoutInput): PricingRequest => ({
  addressId: input.addressId,
  shipping: input.shipping,
  voucherCodes: input.voucherCodes,
});

/** Refuses a cart the checkout cannot buy as it is (the buyer fixes it first). */
function checkLines(cart: PricedCart): void {
  if (cart.shops.length === 0)
    throw new DomainError("failed_precondition", "CART_EMPTY", "the cart is empty");
  const stock: FieldViolation[] = [];
  const other: FieldViolation[] = [];
  for (const shop of cart.shops) {
    for (const line of shop.lines) {
      const blocking = line.problems.filter((p) => p !== "PRICE_CHANGED");
      if (blocking.length === 0) continue;
      const v = {
        field: `lines[${line.variantId}]`,
        message: `${line.title} (${line.sku}): ${blocking.join(", ")}`,
      };
      (blocking.some((p) => STOCK_PROBLEMS.has(p)) ? stock : other).push(v);
    }
  }
  if (stock.length > 0)
    throw new DomainError("failed_precondition", "OUT_OF_STOCK", "not enough stock", stock);
  if (other.length > 0)
    throw new DomainError("invalid", "VALIDATION_FAILED", "some cart lines cannot be bought", other);
}

/** Every shop of the cart has its courier, and only the cart's shops are named. */
function checkCart(cart: PricedCart, input: CheckoutInput): void {
  checkLines(cart);
  const missing = cart.shops
    .filter((s) => s.shippingOptionId === "")
    .map((s) => ({ field: "shipping", message: `choose a courier for shop ${s.shopId}` }));
  const unknown = input.shipping
    .filter((c) => !cart.shops.some((s) => s.shopId === c.shopId))
    .map((c) => ({ field: "shipping", message: `shop ${c.shopId} is not in the cart` }));
  if (missing.length + unknown.length > 0)
    throw new DomainError("invalid", "VALIDATION_FAILED", "invalid shipping choice", [
      ...missing,
      ...unknown,
    ]);
}

/**
 * Step 1 of the saga: prices the cart (live prices), holds the vouchers, splits it into one
 * order per shop and records the checkout as RESERVING. Remote calls run before the
 * transaction; the transaction only moves a PRICING checkout on.
 */
async function price(
  deps: OrderDeps,
  checkout: CheckoutRecord,
  input: CheckoutInput,
): Promise<CheckoutView | null> {
  const pricing = pricingOf(input);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.settings.paymentTtlMs);
  // The cart quotes the couriers to the buyer's address and answers it as the user service gave
  // it for the buyer (their own only), so it is not fetched twice. Refusals keep their
  // precedence: the cart's lines, then the address, then the rest of the cart's answer.
  let cart: ReservedCart;
  try {
    cart = await deps.cart.reserveVouchers(checkout.id, pricing, expiresAt);
  } catch (refusal) {
    await checkLinesAfterRefusal(deps, pricing, refusal);
    await deps.addresses.get(input.addressId);
    throw refusal;
  }
  checkLines(cart);
  const destination = cart.address ?? (await deps.addresses.get(input.addressId));
  checkCart(cart, input);
  const [shops, categories] = await Promise.all([
    Promise.all(cart.shops.map((s) => deps.catalog.shop(s.shopId))),
    deps.catalog.categories([...new Set(cart.shops.flatMap((s) => s.lines.map((l) => l.productId)))]),
  ]);
  const fees = splitFee(
    cart.serviceFee,
    cart.shops.map((s) => s.subtotal),
  );
  return deps.uow.run(async (tx) => {
    const current = await tx.checkouts.lock(checkout.id);
    if (current?.status !== "PRICING") return null;
    const rates = await tx.rates.of([...new Set(categories.values())]);
    const orders: OrderRecord[] = cart.shops.map((s, i) => {
      const shop = shops[i];
      if (!shop) throw new DomainError("failed_precondition", "SHOP_CLOSED", `shop ${s.shopId} is not open`);
      const lines: OrderLineItem[] = s.lines.map((l, n) => {
        const categoryId = categories.get(l.productId) ?? "";
        const rate = rates.get(categoryId) ?? deps.settings.defaultCommissionBps;
        return {
          lineId: String(n + 1),
          productId: l.productId,
          variantId: l.variantId,
          sku: l.sku,
          title: l.title,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          lineTotal: l.lineTotal,
          categoryId,
          commission: lineCommission(l.lineTotal, rate),
          returned: 0,
        };
      });
      const serviceFee = fees[i] ?? 0;
      const parcel = s.lines.reduce(
        (p, l) => ({
          weightGrams: p.weightGrams + l.parcel.weightGrams * l.quantity,
          lengthCm: Math.max(p.lengthCm, l.parcel.lengthCm),
          widthCm: Math.max(p.widthCm, l.parcel.widthCm),
          heightCm: p.heightCm + l.parcel.heightCm * l.quantity,
        }),
        { weightGrams: 0, lengthCm: 0, widthCm: 0, heightCm: 0 },
      );
      return {
        id: deps.newId(),
        checkoutId: checkout.id,
        buyerId: checkout.buyerId,
        shopId: s.shopId,
        shopOwnerId: shop.ownerId,
        status: "CREATED",
        cancelReason: "",
        subtotal: s.subtotal,
        discount: s.discount,
        shipping: s.shipping,
        serviceFee,
        total: s.total + serviceFee,
        // The platform keeps its commission on the goods and the order's service fee.
        commission: lines.reduce((sum, l) => sum + l.commission, 0) + serviceFee,
        refunded: 0,
        voucherCodes: cart.vouchers
          .filter((v) => v.problem === "" && (v.shopId === "" || v.shopId === s.shopId))
          .map((v) => v.code),
        shippingOptionId: s.shippingOptionId,
        origin: {
          recipient: shop.name,
          phone: "",
          street: "",
          district: "",
          city: shop.city,
          province: shop.province,
          postalCode: "",
        },
        destination,
        parcel,
        lines,
        history: [],
        shipment: null,
        paymentMethod: checkout.method,
        paidAt: null,
        deliveredAt: null,
        createdAt: now,
      };
    });
    await tx.orders.insert(orders);
    const reserveLines: ReserveLine[] = cart.shops.flatMap((s) =>
      s.lines.map((l) => ({ shopId: s.shopId, sku: l.sku, quantity: l.quantity })),
    );
    const reserving: CheckoutRecord = {
      ...current,
      status: "RESERVING",
      amount: orders.reduce((sum, o) => sum + o.total, 0),
      reserveLines,
      paymentExpiresAt: expiresAt,
    };
    await tx.checkouts.save(reserving);
    return { checkout: reserving, orders };
  });
}

/**
 * After the cart refused a pricing with couriers: its lines checked without them, so a line out
 * of stock is named as such rather than as the courier problem it causes.
 */
async function checkLinesAfterRefusal(deps: OrderDeps, pricing: PricingRequest, refusal: unknown) {
  if (refusal instanceof DomainError && refusal.kind !== "unavailable" && pricing.shipping.length > 0)
    checkLines(await deps.cart.price({ ...pricing, shipping: [] }));
}

/** Fails a checkout before its payment: its orders are cancelled, the vouchers given back. */
async function failCheckout(tx: OrderTx, deps: OrderDeps, checkout: CheckoutRecord, failure: Failure) {
  const now = deps.clock.now();
  for (const order of await tx.orders.lockOfCheckout(checkout.id)) {
    if (order.status !== "CREATED") continue;
    const cancelled = moveOrder(order, "CANCELLED", now, failure.code);
    await tx.orders.save(cancelled);
    await tx.events.cancelled(cancelled);
  }
  await tx.checkouts.save({ ...checkout, status: "FAILED", failure });
  await tx.timers.cancelResume(checkout.id);
}

/**
 * Steps 2 and 3: reserve the stock (all or nothing), open the payment, mark the orders
 * AWAITING_PAYMENT with OrderPlaced. Each remote call is idempotent per checkout id, so running
 * this again (a retried request, the resume timer after a crash) continues where it stopped.
 * `known` is the checkout as its caller just wrote it (not read again). Answers the checkout
 * and its orders when this call placed them.
 */
export async function advanceCheckout(
  deps: OrderDeps,
  checkoutId: string,
  known: CheckoutView | null = null,
): Promise<CheckoutView | null> {
  const checkout = known?.checkout ?? (await deps.reads.checkout(checkoutId));
  if (checkout?.status !== "RESERVING") return null;
  const ttl = Math.min(86_400, Math.ceil(deps.settings.paymentTtlMs / 1000) + 900);
  const reserved = await deps.inventory.reserve(checkout.id, checkout.reserveLines, ttl);
  if (!reserved.ok) {
    const orders = known?.orders ?? (await deps.reads.ordersOfCheckout(checkout.id));
    const violations = reserved.short.map((s) => {
      const line = orders
        .find((o) => o.shopId === s.shopId)
        ?.lines.find((l) => l.sku.toLowerCase() === s.sku.toLowerCase());
      return { field: `lines[${line?.variantId ?? s.sku}]`, message: s.message };
    });
    await deps.uow.run(async (tx) => {
      const current = await tx.checkouts.lock(checkout.id);
      if (current?.status !== "RESERVING") return;
      await failCheckout(tx, deps, current, {
        code: "OUT_OF_STOCK",
        message: "not enough stock for this checkout",
        violations,
      });
    });
    return null;
  }
  deps.checkpoint("reserved");
  const orders = known
    ? [...known.orders].sort((a, b) => (a.id < b.id ? -1 : 1))
    : await deps.reads.ordersOfCheckout(checkout.id);
  const payment = await deps.payments.create({
    checkoutId: checkout.id,
    payerId: checkout.buyerId,
    amount: checkout.amount,
    method: checkout.method,
    channel: checkout.channel,
    expiresAt: checkout.paymentExpiresAt ?? new Date(deps.clock.now().getTime() + deps.settings.paymentTtlMs),
    allocations: orders.map((o) => ({
      orderId: o.id,
      shopId: o.shopId,
      amount: o.total,
      commission: o.commission,
    })),
  });
  deps.checkpoint("payment-created");
  return deps.uow.run(async (tx) => {
    const current = await tx.checkouts.lock(checkout.id);
    if (current?.status !== "RESERVING") return null;
    const now = deps.clock.now();
    const { status, ...info } = payment;
    const placed: OrderRecord[] = [];
    for (const order of await tx.orders.lockOfCheckout(checkout.id)) {
      const moved = moveOrder(order, "AWAITING_PAYMENT", now, "");
      await tx.orders.save(moved);
      await tx.events.placed(moved, info);
      placed.push(moved);
    }
    const awaiting: CheckoutRecord = {
      ...current,
      status: "AWAITING_PAYMENT",
      paymentId: info.paymentId,
      payment: info,
      paymentStatus: current.paymentStatus ?? status,
    };
    await tx.checkouts.save(awaiting);
    await tx.timers.cancelResume(checkout.id);
    // Cash on delivery needs no payment first: the stock is committed and the seller notified.
    if (checkout.method === "cod") await tx.timers.commitCheckout(checkout.id);
    return { checkout: awaiting, orders: placed };
  });
}

/**
 * The checkout under the buyer's key: a new one recorded as PRICING with its resume timer, or
 * the one the key already names. A new key is the common case, so the insert comes first and
 * only a repeat reads what it conflicted with.
 */
async function openCheckout(
  deps: OrderDeps,
  buyerId: string,
  input: CheckoutInput,
  method: CheckoutRecord["method"],
  channel: string,
  fingerprint: string,
): Promise<CheckoutRecord> {
  const now = deps.clock.now();
  const fresh: CheckoutRecord = {
    id: deps.newId(),
    buyerId,
    idempotencyKey: input.idempotencyKey,
    fingerprint,
    status: "PRICING",
    failure: null,
    method,
    channel,
    amount: 0,
    reserveLines: [],
    paymentId: null,
    payment: null,
    paymentStatus: null,
    paymentExpiresAt: null,
    createdAt: now,
  };
  const inserted = await deps.uow.run(async (tx) => {
    if (!(await tx.checkouts.insert(fresh))) return false;
    await tx.timers.resumeCheckout(fresh.id, new Date(now.getTime() + deps.settings.resumeAfterMs));
    return true;
  });
  if (inserted) return fresh;
  const existing = await deps.reads.checkoutByKey(buyerId, input.idempotencyKey);
  if (!existing) throw new Error("checkout vanished after a conflicting insert");
  return existing;
}

/**
 * The checkout for `POST /checkout`: idempotent per (buyer, key). Runs the saga up to the
 * payment's instructions, or answers why it failed (OUT_OF_STOCK names the lines).
 */
export async function checkout(
  deps: OrderDeps,
  buyerId: string,
  input: CheckoutInput,
): Promise<CheckoutView> {
  const { method, channel } = validate(input);
  const fingerprint = fingerprintOf(input, method, channel);
  const current = await openCheckout(deps, buyerId, input, method, channel, fingerprint);
  if (current.fingerprint !== fingerprint)
    throw new DomainError(
      "invalid",
      "IDEMPOTENCY_KEY_REUSED",
      "this Idempotency-Key was used for another checkout request",
    );
  let priced: CheckoutView | null = null;
  if (current.status === "PRICING") {
    try {
      priced = await price(deps, current, input);
    } catch (error) {
      // A refusal of the cart as it is: the checkout fails for good under this key.
      if (error instanceof DomainError && error.kind !== "unavailable") {
        const failure = { code: error.code, message: error.message, violations: [...error.violations] };
        await deps.uow.run(async (tx) => {
          const locked = await tx.checkouts.lock(current.id);
          if (locked?.status === "PRICING") await failCheckout(tx, deps, locked, failure);
        });
      }
      throw error;
    }
  }
  const placed = await advanceCheckout(deps, current.id, priced);
  if (placed) return placed;
  const done = await deps.reads.checkout(current.id);
  if (!done) throw new Error(`checkout ${current.id} vanished`);
  if (done.status === "FAILED" && done.failure) throw failureError(done.failure);
  return { checkout: done, orders: await deps.reads.ordersOfCheckout(done.id) };
}

/**
 * The resume timer: a checkout still PRICING when it fires was abandoned (its request died
 * before the orders were made) and fails; one RESERVING is carried on to its payment.
 */
export async function resumeCheckout(deps: OrderDeps, checkoutId: string): Promise<void> {
  const checkout = await deps.reads.checkout(checkoutId);
  if (!checkout) return;
  if (checkout.status === "PRICING") {
    // The buyer's request may still be pricing it: give it time before calling it abandoned
    // (the timer retries with backoff meanwhile).
    if (deps.clock.now().getTime() - checkout.createdAt.getTime() < PRICING_GRACE_MS)
      throw new Error(`checkout ${checkoutId} is still being priced`);
    await deps.uow.run(async (tx) => {
      const locked = await tx.checkouts.lock(checkoutId);
      if (locked?.status === "PRICING")
        await failCheckout(tx, deps, locked, {
          code: "CHECKOUT_ABANDONED",
          message: "the checkout was not finished",
          violations: [],
        });
    });
    // Nothing was reserved; the release leaves a tombstone so a late Reserve cannot hold stock.
    await deps.inventory.release(checkoutId);
    return;
  }
  await advanceCheckout(deps, checkoutId);
}
