import { DomainError, errors, type FieldViolation } from "@toko/kit";
import { checkReturnLines, invalidTransition, payout, returnValue } from "../domain/order.ts";
import { moveOrder, ownedByBuyer, pickupAddress } from "./lifecycle.ts";
import type { ReturnRecord } from "./model.ts";
import type { OrderDeps } from "./ports.ts";

function ownedReturn(ret: ReturnRecord | null, shopId: string): ReturnRecord {
  if (!ret || ret.shopId !== shopId) throw errors.notFound("return");
  return ret;
}

const returnTransition = (action: string, status: string) =>
  new DomainError("failed_precondition", "INVALID_TRANSITION", `cannot ${action} a return that is ${status}`);

/** The buyer asks to return lines of a delivered order, within the confirmation window. */
export async function requestReturn(
  deps: OrderDeps,
  buyerId: string,
  orderId: string,
  lines: { lineId: string; quantity: number }[],
  reason: string,
) {
  const out: FieldViolation[] = [];
  const why = reason.trim();
  if (why.length < 3 || why.length > 1000)
    out.push({ field: "reason", message: "must be 3-1000 characters" });
  if (out.length > 0) throw errors.invalid("invalid return", out);
  ownedByBuyer(await deps.reads.order(orderId), buyerId);
  return deps.uow.run(async (tx) => {
    const order = ownedByBuyer(await tx.orders.lock(orderId), buyerId);
    if (order.status !== "DELIVERED") throw invalidTransition("return", order.status);
    const now = deps.clock.now();
    const delivered = order.deliveredAt ?? order.createdAt;
    if (now.getTime() > delivered.getTime() + deps.settings.completeWindowMs)
      throw new DomainError("failed_precondition", "RETURN_WINDOW_CLOSED", "the return window has closed");
    const items = checkReturnLines(order.lines, lines);
    const ret: ReturnRecord = {
      id: deps.newId(),
      orderId,
      buyerId,
      shopId: order.shopId,
      status: "REQUESTED",
      lines: items,
      reason: why,
      rejectionReason: "",
      refundAmount: returnValue(order.lines, items, order.total - order.refunded),
      shipmentId: "",
      createdAt: now,
    };
    await tx.returns.insert(ret);
    const requested = moveOrder(order, "RETURN_REQUESTED", now, "");
    await tx.orders.save(requested);
    await tx.timers.cancelCompleteBy(orderId);
    await tx.events.returnRequested(ret);
    return { ret, order: requested };
  });
}

/** The seller approves: the return parcel is booked (idempotent per return id). */
export async function approveReturn(deps: OrderDeps, shopId: string, returnId: string) {
  const ret = ownedReturn(await deps.reads.returnById(returnId), shopId);
  if (ret.status === "APPROVED") return ret;
  if (ret.status !== "REQUESTED") throw returnTransition("approve", ret.status);
  const order = await deps.reads.order(ret.orderId);
  if (!order) throw errors.notFound("return");
  const shipmentId = await deps.shipping.createReturnShipment(ret, order, await pickupAddress(deps, order));
  return deps.uow.run(async (tx) => {
    const locked = ownedReturn(await tx.returns.lock(returnId), shopId);
    if (locked.status === "APPROVED") return locked;
    if (locked.status !== "REQUESTED") throw returnTransition("approve", locked.status);
    const approved = { ...locked, status: "APPROVED" as const, shipmentId };
    await tx.returns.save(approved);
    await tx.events.returnApproved(approved);
    return approved;
  });
}

/** The seller rejects: the order completes as delivered (the shop is paid out). */
export async function rejectReturn(deps: OrderDeps, shopId: string, returnId: string, reason: string) {
  const why = reason.trim();
  if (why.length < 3 || why.length > 1000)
    throw errors.invalid("invalid rejection", [{ field: "reason", message: "must be 3-1000 characters" }]);
  return deps.uow.run(async (tx) => {
    const ret = ownedReturn(await tx.returns.lock(returnId), shopId);
    if (ret.status === "REJECTED") return ret;
    if (ret.status !== "REQUESTED") throw returnTransition("reject", ret.status);
    const rejected = { ...ret, status: "REJECTED" as const, rejectionReason: why };
    await tx.returns.save(rejected);
    await tx.events.returnRejected(rejected);
    const order = await tx.orders.lock(ret.orderId);
    if (order?.status === "RETURN_REQUESTED") {
      const now = deps.clock.now();
      const done = moveOrder(order, "COMPLETED", now, "RETURN_REJECTED");
      await tx.orders.save(done);
      await tx.payouts.insert({
        orderId: order.id,
        shopId: order.shopId,
        ...payout(order.total, order.refunded, order.commission),
        createdAt: now,
      });
      await tx.events.completed(done);
    }
    return rejected;
  });
}

/**
 * The seller received the parcel: the units go back into stock (a durable restock, once per return)
 * and the refund is owed (full by default, or the amount the seller grants, at most what is left).
 */
export async function receiveReturn(
  deps: OrderDeps,
  shopId: string,
  returnId: string,
  refundAmount: number | null,
) {
  const ret = ownedReturn(await deps.reads.returnById(returnId), shopId);
  if (ret.status === "RECEIVED" || ret.status === "REFUNDED") return ret;
  if (ret.status !== "APPROVED") throw returnTransition("receive", ret.status);
  const order = await deps.reads.order(ret.orderId);
  if (!order) throw errors.notFound("return");
  const left = order.total - order.refunded;
  if (refundAmount !== null && (!Number.isInteger(refundAmount) || refundAmount < 1 || refundAmount > left))
    throw errors.invalid("invalid refund", [
      { field: "refund_amount", message: `must be between 1 and ${left}` },
    ]);
  return deps.uow.run(async (tx) => {
    const locked = ownedReturn(await tx.returns.lock(returnId), shopId);
    if (locked.status !== "APPROVED") return locked;
    const lockedOrder = await tx.orders.lock(locked.orderId);
    if (!lockedOrder) throw errors.notFound("return");
    const amount = refundAmount ?? locked.refundAmount;
    const received = { ...locked, status: "RECEIVED" as const, refundAmount: amount };
    await tx.returns.save(received);
    await tx.orders.save({
      ...lockedOrder,
      lines: lockedOrder.lines.map((l) => {
        const item = locked.lines.find((i) => i.lineId === l.lineId);
        return item ? { ...l, returned: l.returned + item.quantity } : l;
      }),
    });
    await tx.events.returnReceived(received);
    // The units go back into stock by a durable restock, after those earlier returns put back.
    await tx.timers.restock({
      key: `return-${locked.id}`,
      checkoutId: lockedOrder.checkoutId,
      shopId: lockedOrder.shopId,
      items: locked.lines.map((i) => ({
        sku: i.sku,
        quantity: i.quantity,
        offset: lockedOrder.lines.find((l) => l.lineId === i.lineId)?.returned ?? 0,
      })),
      reason: `return ${locked.id} of order ${locked.orderId} received`,
    });
    const checkout = await tx.checkouts.lock(lockedOrder.checkoutId);
    if (checkout?.paymentId)
      await tx.timers.refund(
        {
          refundId: `return-${locked.id}`,
          orderId: locked.orderId,
          amount,
          reason: "RETURN",
          returnId: locked.id,
        },
        checkout.paymentId,
      );
    return received;
  });
}
