/** Where a shipment is; `awaiting_pickup` is set at booking, the rest come from the carrier. */
export type ShipmentStatus =
  | "awaiting_pickup"
  | "picked_up"
  | "in_transit"
  | "out_for_delivery"
  | "delivery_failed"
  | "delivered"
  | "returned_to_sender";

/** Statuses a carrier event may report. */
export type CarrierStatus = Exclude<ShipmentStatus, "awaiting_pickup">;

/** Final statuses: nothing a carrier says later moves a shipment out of them. */
export const FINAL_STATUSES: ReadonlySet<ShipmentStatus> = new Set(["delivered", "returned_to_sender"]);

/** The shipment's status and the carrier's time of the event that set it (null at booking). */
export interface StatusState {
  status: ShipmentStatus;
  statusAt: Date | null;
}

/** One carrier event. */
export interface CarrierEvent {
  status: CarrierStatus;
  occurredAt: Date;
}

/**
 * The state after a new event. Final statuses stay; a final event applies whatever its time;
 * any other event applies only if it happened no earlier than the latest event applied so far —
 * a late "in transit" after "out for delivery" joins the timeline without moving the status
 * back. `changed` says whether the status itself moved.
 */
export function advance(current: StatusState, event: CarrierEvent): { state: StatusState; changed: boolean } {
  const unchanged = { state: current, changed: false };
  if (FINAL_STATUSES.has(current.status)) return unchanged;
  const late = current.statusAt !== null && event.occurredAt.getTime() < current.statusAt.getTime();
  if (late && !FINAL_STATUSES.has(event.status)) return unchanged;
  const statusAt = late ? current.statusAt : event.occurredAt;
  return { state: { status: event.status, statusAt }, changed: event.status !== current.status };
}
