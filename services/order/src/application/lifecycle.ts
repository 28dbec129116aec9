import { DomainError, errors } from "@toko/kit";
import {
  BUYER_CANCELLABLE,
  checkMove,
  invalidTransition,
  type OrderStatus,
  payout,
} from "../domain/order.ts";
import type { OrderRecord, RefundIntent, RestockIntent } from "./model.ts";
import type { OrderDeps, OrderTx } from "./ports.ts";

/** The order moved to `to`, with the change in its history. */
export function moveOrder(order: OrderRecord, to: OrderStatus, at: Date, reason: string): OrderRecord {
  return {
    ...order,
    status: to,
    cancelReason: to === "CANCELLED" ? reason : order.cancelReason,
    history: [...order.history, { status: to, at: at.toISOString(), reason }],
  };
}

/** Whether the order's money was taken (COD is taken only when the courier collects it). */
const isPaid = (order: OrderRecord) => order.paidAt !== null && order.paymentMethod !== "cod";

/** The order of `id` as its buyer sees it: another buyer's is NOT_FOUND. */
export function ownedByBuyer(order: OrderRecord | null, buyerId: string): OrderRecord {
  if (!order || order.buyerId !== buyerId || order.status === "CREATED") throw errors.notFound("order");
  return order;
}

export function ownedByShop(order: OrderRecord | null, shopId: string): OrderRecord {
  if (!order || order.shopId !== shopId || order.status === "CREATED") throw errors.notFound("order");
  return order;
}

/** Whether the order's units were taken from stock for good (inventory.Commit ran). */
const stockCommitted = (order: OrderRecord) => order.status === "PAID" || order.status === "PROCESSING";

/**
 * Cancels an order in `tx`; a paid one is refunded in full by a durable refund, and units
 * already committed go back into stock by a durable restock (one per order: `cancel-<order>`).
 */
async function cancelIn(
  tx: OrderTx,
  order: OrderRecord,
  reason: string,
  now: Date,
  paymentId: string | null,
) {
  const cancelled = moveOrder(order, "CANCELLED", now, reason);
  await tx.orders.save(cancelled);
  await tx.events.cancelled(cancelled);
  await tx.timers.cancelAcceptBy(order.id);
  if (stockCommitted(order))
    await tx.timers.restock({
      key: `cancel-${order.id}`,
      checkoutId: order.checkoutId,
      shopId: order.shopId,
      items: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity - l.returned, offset: l.returned })),
      reason: `order ${order.id} cancelled: ${reason}`,
    });
  if (isPaid(order) && paymentId) {
    await tx.timers.refund(
      {
        refundId: `cancel-${order.id}`,
        orderId: order.id,
        amount: order.total - order.refunded,
        reason,
        returnId: "",
      },
      paymentId,
    );
  }
  return cancelled;
}

// ---- payment outcomes (consumer records the intent; timers act) -------------------------------

/** PaymentSucceeded: the commit step runs as a durable timer (inventory.Commit, then PAID). */
export async function paymentSucceeded(tx: OrderTx, checkoutId: string): Promise<void> {
  const checkout = await tx.checkouts.lock(checkoutId);
  if (!checkout) return;
  await tx.checkouts.save({ ...checkout, paymentStatus: "SUCCEEDED" });
  await tx.timers.commitCheckout(checkoutId);
}

/** PaymentExpired / PaymentFailed: the release step runs as a durable timer. */
export async function paymentEnded(
  tx: OrderTx,
  checkoutId: string,
  outcome: "EXPIRED" | "FAILED",
): Promise<void> {
  const checkout = await tx.checkouts.lock(checkoutId);
  if (!checkout || checkout.method === "cod") return;
  await tx.checkouts.save({ ...checkout, paymentStatus: outcome });
  await tx.timers.releaseCheckout(checkoutId, outcome === "EXPIRED" ? "PAYMENT_EXPIRED" : "PAYMENT_FAILED");
}

/** The commit timer's remote part: the stock is taken for good (or was already released). */
export async function commitRemote(deps: OrderDeps, checkoutId: string): Promise<"committed" | "released"> {
  const checkout = await deps.reads.checkout(checkoutId);
  if (!checkout) return "released";
  // The payment can outrun the saga's own record of it; the timer retries until it is there.
  if (checkout.status === "PRICING" || checkout.status === "RESERVING")
    throw new Error(`checkout ${checkoutId} is still ${checkout.status}`);
  if (checkout.status === "FAILED") return "released";
  const outcome = await deps.inventory.commit(checkoutId);
  deps.checkpoint("committed");
  return outcome;
}

/** The commit timer's record: orders PAID with OrderPaid (or cancelled and refunded when the stock is gone). */
export async function commitRecord(
  deps: OrderDeps,
  tx: OrderTx,
  checkoutId: string,
  outcome: "committed" | "released",
): Promise<void> {
  const checkout = await tx.checkouts.lock(checkoutId);
  if (!checkout) return;
  const now = deps.clock.now();
  for (const order of await tx.orders.lockOfCheckout(checkoutId)) {
    if (outcome === "committed" && order.status === "AWAITING_PAYMENT") {
      const paid = { ...moveOrder(order, "PAID", now, ""), paidAt: now };
      await tx.orders.save(paid);
      await tx.events.paid(paid);
      await tx.timers.acceptBy(order.id, new Date(now.getTime() + deps.settings.acceptWindowMs));
    } else if (order.status === "AWAITING_PAYMENT" || order.status === "CANCELLED") {
      // Money arrived for orders that can no longer be fulfilled: it goes back.
      const unpaid =
        order.status === "CANCELLED" ? order : await cancelIn(tx, order, "STOCK_RELEASED", now, null);
      if (
        checkout.method !== "cod" &&
        checkout.paymentId &&
        checkout.paymentStatus === "SUCCEEDED" &&
        order.refunded === 0
      )
        await tx.timers.refund(
          {
            refundId: `unfulfilled-${order.id}`,
            orderId: order.id,
            amount: order.total,
            reason: unpaid.cancelReason || "UNFULFILLED",
            returnId: "",
          },
          checkout.paymentId,
        );
    }
  }
  if (checkout.status === "AWAITING_PAYMENT")
    await tx.checkouts.save({ ...checkout, status: outcome === "committed" ? "PAID" : "CANCELLED" });
}

/** The release timer's record: the unpaid orders are cancelled (the cart gives the vouchers back). */
export async function releaseRecord(
  deps: OrderDeps,
  tx: OrderTx,
  checkoutId: string,
  reason: string,
): Promise<void> {
  const checkout = await tx.checkouts.lock(checkoutId);
  if (!checkout) return;
  const now = deps.clock.now();
  for (const order of await tx.orders.lockOfCheckout(checkoutId)) {
    if (order.status === "AWAITING_PAYMENT" || order.status === "CREATED")
      await cancelIn(tx, order, reason, now, null);
  }
  if (checkout.status === "AWAITING_PAYMENT" || checkout.status === "RESERVING")
    await tx.checkouts.save({ ...checkout, status: "CANCELLED" });
}

// ---- the buyer ---------------------------------------------------------------------------------

/**
 * The buyer cancels before shipping. An unpaid order's checkout shares one payment and one
 * reservation, so all of its unpaid orders are cancelled and the stock released; a paid order is
 * refunded.
 */
export async function cancelByBuyer(deps: OrderDeps, buyerId: string, orderId: string) {
  const order = ownedByBuyer(await deps.reads.order(orderId), buyerId);
  if (order.status === "CANCELLED") return order;
  if (!BUYER_CANCELLABLE.includes(order.status)) throw invalidTransition("cancel", order.status);
  if (order.status === "AWAITING_PAYMENT") {
    await deps.inventory.release(order.checkoutId);
    await deps.uow.run((tx) => releaseRecord(deps, tx, order.checkoutId, "BUYER_CANCELLED"));
  } else {
    await deps.uow.run(async (tx) => {
      const locked = await tx.orders.lock(orderId);
      if (!locked || locked.status === "CANCELLED") return;
      if (!BUYER_CANCELLABLE.includes(locked.status)) throw invalidTransition("cancel", locked.status);
      const checkout = await tx.checkouts.lock(locked.checkoutId);
      await cancelIn(tx, locked, "BUYER_CANCELLED", deps.clock.now(), checkout?.paymentId ?? null);
    });
  }
  return ownedByBuyer(await deps.reads.order(orderId), buyerId);
}

/** COMPLETED: the order is final, its shop is paid out (less commission) and reviews open. */
async function completeIn(deps: OrderDeps, tx: OrderTx, order: OrderRecord, reason: string) {
  const now = deps.clock.now();
  const done = moveOrder(order, "COMPLETED", now, reason);
  await tx.orders.save(done);
  const p = payout(order.total, order.refunded, order.commission);
  await tx.payouts.insert({ orderId: order.id, shopId: order.shopId, ...p, createdAt: now });
  await tx.events.completed(done);
  await tx.timers.cancelCompleteBy(order.id);
  return done;
}

export async function completeByBuyer(deps: OrderDeps, buyerId: string, orderId: string) {
  ownedByBuyer(await deps.reads.order(orderId), buyerId);
  return deps.uow.run(async (tx) => {
    const order = ownedByBuyer(await tx.orders.lock(orderId), buyerId);
    if (order.status === "COMPLETED") return order;
    if (order.status !== "DELIVERED") throw invalidTransition("complete", order.status);
    return completeIn(deps, tx, order, "BUYER_CONFIRMED");
  });
}

/** The confirmation window passed: a delivered order completes by itself. */
export async function autoComplete(deps: OrderDeps, tx: OrderTx, orderId: string): Promise<void> {
  const order = await tx.orders.lock(orderId);
  if (order?.status === "DELIVERED") await completeIn(deps, tx, order, "CONFIRMATION_WINDOW_PASSED");
}

// ---- the seller --------------------------------------------------------------------------------

export async function acceptBySeller(deps: OrderDeps, shopId: string, orderId: string) {
  ownedByShop(await deps.reads.order(orderId), shopId);
  return deps.uow.run(async (tx) => {
    const order = ownedByShop(await tx.orders.lock(orderId), shopId);
    if (order.status === "PROCESSING") return order;
    if (order.status !== "PAID") throw invalidTransition("accept", order.status);
    const accepted = moveOrder(order, "PROCESSING", deps.clock.now(), "");
    await tx.orders.save(accepted);
    await tx.events.accepted(accepted);
    await tx.timers.cancelAcceptBy(orderId);
    return accepted;
  });
}

/** The seller rejects a paid order: cancelled, refunded, and its units put back in stock (a durable restock). */
export async function rejectBySeller(deps: OrderDeps, shopId: string, orderId: string) {
  const order = ownedByShop(await deps.reads.order(orderId), shopId);
  if (order.status === "CANCELLED") return order;
  if (order.status !== "PAID" && order.status !== "PROCESSING")
    throw invalidTransition("reject", order.status);
  return deps.uow.run(async (tx) => {
    const locked = ownedByShop(await tx.orders.lock(orderId), shopId);
    if (locked.status === "CANCELLED") return locked;
    if (locked.status !== "PAID" && locked.status !== "PROCESSING")
      throw invalidTransition("reject", locked.status);
    const checkout = await tx.checkouts.lock(locked.checkoutId);
    return cancelIn(tx, locked, "SELLER_REJECTED", deps.clock.now(), checkout?.paymentId ?? null);
  });
}

/**
 * The restock timer's remote part: the intent's units spread over the shop's allocations of the
 * checkout (in allocation order, after the units earlier restocks took), then inventory.Restock
 * under the intent's key, so a retried timer puts nothing back twice.
 */
export async function restockRemote(deps: OrderDeps, intent: RestockIntent): Promise<void> {
  const allocations = (await deps.inventory.allocations(intent.checkoutId)).filter(
    (a) => a.shopId === intent.shopId,
  );
  const lines = new Map<string, { sku: string; warehouseId: string; quantity: number }>();
  for (const item of intent.items) {
    let skip = item.offset;
    let left = item.quantity;
    for (const a of allocations) {
      if (left <= 0) break;
      if (a.sku.toLowerCase() !== item.sku.toLowerCase()) continue;
      const skipped = Math.min(skip, a.quantity);
      skip -= skipped;
      const take = Math.min(left, a.quantity - skipped);
      if (take <= 0) continue;
      left -= take;
      const key = `${a.warehouseId}\u0000${a.sku}`;
      const line = lines.get(key) ?? { sku: a.sku, warehouseId: a.warehouseId, quantity: 0 };
      lines.set(key, { ...line, quantity: line.quantity + take });
    }
  }
  if (lines.size === 0) return;
  await deps.inventory.restock(intent.key, intent.checkoutId, [...lines.values()], intent.reason);
}

export function restockIntentOf(payload: unknown): RestockIntent {
  const p = payload as Partial<RestockIntent> | null;
  if (!p?.key || !p.checkoutId || !p.shopId || !Array.isArray(p.items))
    throw new DomainError("invalid", "BAD_TIMER", "bad restock payload");
  return { key: p.key, checkoutId: p.checkoutId, shopId: p.shopId, items: p.items, reason: p.reason ?? "" };
}

/** The acceptance window passed with the order still PAID: cancelled, refunded and restocked. */
export async function acceptanceWindowPassed(deps: OrderDeps, tx: OrderTx, orderId: string): Promise<void> {
  const order = await tx.orders.lock(orderId);
  if (order?.status !== "PAID") return;
  const checkout = await tx.checkouts.lock(order.checkoutId);
  await cancelIn(tx, order, "ACCEPTANCE_WINDOW_PASSED", deps.clock.now(), checkout?.paymentId ?? null);
}

/** The seller ships: the courier is booked (idempotent per order), the order SHIPPED. */
export async function shipBySeller(deps: OrderDeps, shopId: string, orderId: string, pickupSlotId: string) {
  const order = ownedByShop(await deps.reads.order(orderId), shopId);
  if (order.status === "SHIPPED" && order.shipment) return order;
  if (order.status !== "PROCESSING") throw invalidTransition("ship", order.status);
  const shipment = await deps.shipping.createShipment(order, await pickupAddress(deps, order), pickupSlotId);
  return deps.uow.run(async (tx) => {
    const locked = ownedByShop(await tx.orders.lock(orderId), shopId);
    if (locked.status === "SHIPPED") return locked;
    checkMove(locked.status, "SHIPPED", "ship");
    const shipped = { ...moveOrder(locked, "SHIPPED", deps.clock.now(), ""), shipment };
    await tx.orders.save(shipped);
    await tx.events.shipped(shipped);
    return shipped;
  });
}

/**
 * Where the courier picks the parcel up (and returns come back to): the calling seller's default
 * warehouse, with the seller's phone for the courier.
 */
export async function pickupAddress(deps: OrderDeps, order: OrderRecord) {
  const [warehouse, phone] = await Promise.all([
    deps.inventory.defaultWarehouse(),
    deps.addresses.callerPhone(),
  ]);
  if (!warehouse)
    throw new DomainError("failed_precondition", "NO_WAREHOUSE", "add a warehouse to ship from first");
  if (phone.trim() === "")
    throw errors.invalid("no phone for the courier", [
      { field: "phone", message: "add a phone number to your profile: the courier calls it at pickup" },
    ]);
  return {
    recipient: order.origin.recipient,
    phone,
    street: warehouse.address,
    district: "",
    city: warehouse.city,
    province: warehouse.province,
    postalCode: "",
  };
}

/** The carrier delivered the parcel (shipping's ShipmentStatusChanged): DELIVERED, the window starts. */
export async function shipmentDelivered(
  deps: OrderDeps,
  tx: OrderTx,
  shipmentId: string,
  at: Date,
): Promise<void> {
  const order = await tx.orders.lockByShipment(shipmentId);
  if (order?.status !== "SHIPPED") return;
  const now = deps.clock.now();
  const delivered = { ...moveOrder(order, "DELIVERED", now, ""), deliveredAt: at };
  const completeBy = new Date(now.getTime() + deps.settings.completeWindowMs);
  await tx.orders.save(delivered);
  await tx.events.delivered(delivered, completeBy);
  await tx.timers.completeBy(order.id, completeBy);
  if (order.paymentMethod === "cod") await tx.timers.settleCod(order.checkoutId, now);
}

/** Cash on delivery: once every live order of the checkout was delivered, the payment settles. */
export async function settleCodRemote(deps: OrderDeps, checkoutId: string): Promise<void> {
  const checkout = await deps.reads.checkout(checkoutId);
  if (!checkout?.paymentId || checkout.method !== "cod") return;
  const orders = await deps.reads.ordersOfCheckout(checkoutId);
  const live = orders.filter((o) => o.status !== "CANCELLED");
  if (live.some((o) => ["PAID", "PROCESSING", "SHIPPED"].includes(o.status))) return;
  await deps.payments.settleCod(checkout.paymentId, checkout.amount);
}

// ---- refunds -----------------------------------------------------------------------------------

/** The refund timer's record: the order (and its return) show the money back. */
export async function refundRecord(deps: OrderDeps, tx: OrderTx, refund: RefundIntent): Promise<void> {
  const order = await tx.orders.lock(refund.orderId);
  if (!order) return;
  let saved: OrderRecord = { ...order, refunded: order.refunded + refund.amount };
  if (refund.returnId !== "") {
    const ret = await tx.returns.lock(refund.returnId);
    if (ret?.status !== "RECEIVED") return;
    const refundedRet = { ...ret, status: "REFUNDED" as const };
    await tx.returns.save(refundedRet);
    await tx.events.returnRefunded(refundedRet);
    const now = deps.clock.now();
    if (saved.refunded >= saved.total) {
      saved = moveOrder(saved, "REFUNDED", now, "RETURN");
    } else {
      // A partial return: the rest of the order is final and its shop paid for what it kept.
      saved = moveOrder(saved, "RETURNED", now, "RETURN");
      const p = payout(saved.total, saved.refunded, order.commission);
      await tx.payouts.insert({ orderId: order.id, shopId: order.shopId, ...p, createdAt: now });
      await tx.events.completed(saved);
    }
  }
  await tx.orders.save(saved);
  await tx.events.refunded(saved, refund);
}

export function refundIntentOf(payload: unknown): RefundIntent {
  const p = payload as Partial<RefundIntent> & { paymentId?: string };
  if (!p.refundId || !p.orderId || typeof p.amount !== "number")
    throw new DomainError("invalid", "BAD_TIMER", "bad refund payload");
  return {
    refundId: p.refundId,
    orderId: p.orderId,
    amount: p.amount,
    reason: p.reason ?? "",
    returnId: p.returnId ?? "",
  };
}
