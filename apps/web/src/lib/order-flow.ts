import type { Order } from "./api-types.ts";

/** The path an order takes when all goes well (API.md order statuses). */
export const HAPPY_PATH = [
  "AWAITING_PAYMENT",
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "COMPLETED",
] as const;

export interface TimelineStep {
  status: string;
  state: "done" | "current" | "upcoming";
  at: string | undefined;
}

/**
 * The tracking timeline: every status the order went through (with its time), then the happy
 * path's remaining steps as upcoming. An order that left the path (cancelled, returned) ends there.
 */
export function orderTimeline(order: Pick<Order, "status" | "history">): TimelineStep[] {
  const seen = [...order.history].sort((a, b) => a.at.localeCompare(b.at));
  const steps: TimelineStep[] = seen.map((h) => ({ status: h.status, state: "done", at: h.at }));
  if (!steps.some((s) => s.status === order.status))
    steps.push({ status: order.status, state: "done", at: undefined });
  const last = steps[steps.length - 1];
  if (last) last.state = "current";
  const at = HAPPY_PATH.indexOf(order.status as (typeof HAPPY_PATH)[number]);
  if (at >= 0) {
    for (const status of HAPPY_PATH.slice(at + 1)) steps.push({ status, state: "upcoming", at: undefined });
  }
  return steps;
}

export type BuyerAction = "pay" | "cancel" | "complete" | "return" | "review";

/** What a buyer may do with an order in its status (the service still decides). */
export function buyerActions(status: string): BuyerAction[] {
  switch (status) {
    case "AWAITING_PAYMENT":
      return ["pay", "cancel"];
    case "PAID":
    case "PROCESSING":
      return ["cancel"];
    case "DELIVERED":
      return ["complete", "return"];
    case "COMPLETED":
      return ["review"];
    default:
      return [];
  }
}

export type SellerAction = "accept" | "reject" | "ship" | "label";

/** What a seller may do with an incoming order. */
export function sellerActions(status: string): SellerAction[] {
  switch (status) {
    case "PAID":
      return ["accept", "reject"];
    case "PROCESSING":
      return ["ship"];
    case "SHIPPED":
    case "DELIVERED":
    case "COMPLETED":
      return ["label"];
    default:
      return [];
  }
}
