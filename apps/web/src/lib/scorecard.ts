/** `GET /api/v1/seller/suppliers/{id}/scorecard`: rates are 0..1 and 0 when nothing is measured. */
export interface Scorecard {
  supplier_id: string;
  purchase_orders: number;
  on_time_rate: number;
  fill_rate: number;
  average_lead_time_days: number;
  rejection_rate: number;
}

/** `0.875` → `88%` (whole percent, for people). */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return "–";
  return `${Math.round(Math.min(Math.max(rate, 0), 1) * 100)}%`;
}

/** Days to one decimal, trailing `.0` dropped: `2.5`, `3`. */
export function days(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return String(Math.round(value * 10) / 10);
}

/** Finished purchase orders (received in full or closed): the ones the rates are measured over. */
export function finishedOrders(
  orders: readonly { supplier_id: string; status: string }[],
  supplierId: string,
): number {
  return orders.filter(
    (o) => o.supplier_id === supplierId && ["RECEIVED", "CLOSED"].includes(o.status.toUpperCase()),
  ).length;
}

/**
 * What the scorecard can say: nothing sent yet, sent but nothing finished to measure, or the
 * rates, with the measured lead time against the one the supplier promised.
 */
export function scorecardSummary(
  s: Scorecard,
  finished: number,
  promisedLeadDays: number,
):
  | { state: "noOrders" }
  | { state: "notMeasured"; sent: number }
  | {
      state: "measured";
      sent: number;
      finished: number;
      onTime: string;
      fill: string;
      rejection: string;
      leadDays: string;
      slower: boolean;
    } {
  if (s.purchase_orders === 0) return { state: "noOrders" };
  if (finished === 0) return { state: "notMeasured", sent: s.purchase_orders };
  return {
    state: "measured",
    sent: s.purchase_orders,
    finished,
    onTime: percent(s.on_time_rate),
    fill: percent(s.fill_rate),
    rejection: percent(s.rejection_rate),
    leadDays: days(s.average_lead_time_days),
    slower: s.average_lead_time_days > promisedLeadDays,
  };
}
