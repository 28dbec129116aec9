import { advance } from "../domain/tracking.ts";
import type { NewTrackingEvent, ShipmentRecord } from "./model.ts";
import type { ShippingTx } from "./ports.ts";

/** What recording one carrier event did. */
export interface Recorded {
  duplicate: boolean;
  shipment: ShipmentRecord;
}

/**
 * Records one carrier event on a locked shipment — the one path for webhooks and the simulated
 * carrier. A repeated event id changes nothing; every new event joins the timeline; the status
 * moves only as `advance` allows (never back, never out of a final status), and each move
 * publishes ShipmentStatusChanged in the same transaction.
 */
export async function recordCarrierEvent(
  tx: ShippingTx,
  shipment: ShipmentRecord,
  event: NewTrackingEvent,
): Promise<Recorded> {
  if (!(await tx.tracking.insert(shipment.id, event))) return { duplicate: true, shipment };
  const { state, changed } = advance(shipment, event);
  if (state === shipment || (state.status === shipment.status && state.statusAt === shipment.statusAt)) {
    return { duplicate: false, shipment };
  }
  await tx.shipments.setStatus(shipment.id, state, event.receivedAt);
  const updated = { ...shipment, ...state, updatedAt: event.receivedAt };
  if (changed) await tx.events.statusChanged({ shipment: updated, previous: shipment.status, event });
  return { duplicate: false, shipment: updated };
}
