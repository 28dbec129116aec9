import { errors } from "@toko/kit";
import { PENDING_PAYOUT, PUBLIC_STATUSES } from "../domain/order.ts";
import { ownedByBuyer, ownedByShop } from "./lifecycle.ts";
import type { OrderRecord, ReturnRecord } from "./model.ts";
import type { OrderDeps } from "./ports.ts";

export interface OrderView {
  order: OrderRecord;
  returns: ReturnRecord[];
}

function checkListing(status: string, limit: number): number {
  const out = [];
  if (status !== "" && !PUBLIC_STATUSES.includes(status as never))
    out.push({ field: "status", message: `must be one of ${PUBLIC_STATUSES.join(", ")}` });
  if (!Number.isInteger(limit) || limit < 0 || limit > 100)
    out.push({ field: "limit", message: "must be 1-100" });
  if (out.length > 0) throw errors.invalid("invalid listing", out);
  return limit === 0 ? 20 : limit;
}

async function withReturns(deps: OrderDeps, orders: OrderRecord[]): Promise<OrderView[]> {
  const returns = orders.length === 0 ? [] : await deps.reads.returnsOf(orders.map((o) => o.id));
  return orders.map((order) => ({ order, returns: returns.filter((r) => r.orderId === order.id) }));
}

/** An order for its buyer or for its shop's owner; anyone else gets NOT_FOUND. */
export async function getOrder(
  deps: OrderDeps,
  userId: string,
  orderId: string,
  shopOf: () => Promise<string | null>,
) {
  const order = await deps.reads.order(orderId);
  if (order && order.buyerId !== userId) {
    const shopId = await shopOf();
    ownedByShop(order, shopId ?? "");
  } else ownedByBuyer(order, userId);
  return (await withReturns(deps, [order as OrderRecord]))[0] as OrderView;
}

export async function listBuyerOrders(
  deps: OrderDeps,
  buyerId: string,
  status: string,
  cursor: string,
  limit: number,
) {
  const page = await deps.reads.ordersOfBuyer(buyerId, status, cursor, checkListing(status, limit));
  return { items: await withReturns(deps, page.items), nextCursor: page.nextCursor };
}

export async function listShopOrders(
  deps: OrderDeps,
  shopId: string,
  status: string,
  cursor: string,
  limit: number,
) {
  const page = await deps.reads.ordersOfShop(shopId, status, cursor, checkListing(status, limit));
  return { items: await withReturns(deps, page.items), nextCursor: page.nextCursor };
}

export function sellerBalance(deps: OrderDeps, shopId: string) {
  return deps.reads.balance(shopId, PENDING_PAYOUT);
}
