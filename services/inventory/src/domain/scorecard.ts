/** What the scorecard needs to know about one purchase order of the supplier. */
export interface ScoredOrder {
  status: string;
  sentAt: Date | null;
  expectedAt: Date | null;
  /** The time of its last delivery, null when nothing arrived. */
  lastReceiptAt: Date | null;
  ordered: number;
  accepted: number;
  rejected: number;
}

/** A supplier's delivery performance. Rates are 0..1; 0 when there is nothing to measure. */
export interface Scorecard {
  purchaseOrders: number;
  onTimeRate: number;
  fillRate: number;
  averageLeadTimeDays: number;
  rejectionRate: number;
}

const DAY_MS = 86_400_000;
const finished = (o: ScoredOrder) => o.status === "received" || o.status === "closed";
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * The scorecard maths, over orders that were sent (drafts and cancelled ones say nothing
 * about the supplier):
 * - on-time rate: finished orders (received or closed) fully delivered (accepted = ordered)
 *   with the last delivery no later than the expected date, over finished orders;
 * - fill rate: accepted units over ordered units of finished orders;
 * - average lead time: mean days from sent to the last delivery over finished orders that
 *   received anything;
 * - rejection rate: rejected units over delivered (accepted + rejected) units of every sent order.
 */
export function scorecard(orders: readonly ScoredOrder[]): Scorecard {
  const sent = orders.filter((o) => o.sentAt !== null && o.status !== "cancelled" && o.status !== "draft");
  const done = sent.filter(finished);
  const onTime = done.filter(
    (o) =>
      o.accepted === o.ordered &&
      o.lastReceiptAt !== null &&
      o.expectedAt !== null &&
      o.lastReceiptAt.getTime() <= o.expectedAt.getTime(),
  );
  const withDelivery = done.filter((o) => o.lastReceiptAt !== null && o.sentAt !== null);
  const leadDays = withDelivery.map(
    (o) => ((o.lastReceiptAt?.getTime() ?? 0) - (o.sentAt?.getTime() ?? 0)) / DAY_MS,
  );
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    purchaseOrders: sent.length,
    onTimeRate: ratio(onTime.length, done.length),
    fillRate: ratio(sum(done.map((o) => o.accepted)), sum(done.map((o) => o.ordered))),
    averageLeadTimeDays: ratio(sum(leadDays), leadDays.length),
    rejectionRate: ratio(sum(sent.map((o) => o.rejected)), sum(sent.map((o) => o.accepted + o.rejected))),
  };
}
