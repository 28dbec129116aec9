import { FINAL_STATUSES } from "../domain/tracking.ts";
import type { ShipmentRecord, TrackingRecord } from "./model.ts";
import type { ShippingDeps, ShippingTx } from "./ports.ts";
import { recordCarrierEvent } from "./tracking.ts";

type Leg = Omit<TrackingRecord, "occurredAt">;

/** The events a simulated courier reports for a shipment, in order. */
export function simulatedJourney(s: ShipmentRecord): Leg[] {
  const from = s.originCity.name;
  const to = s.destinationCity.name;
  const legs: Leg[] = [
    { status: "picked_up", location: from, description: `Picked up by the ${s.carrier} courier` },
    { status: "in_transit", location: `${s.carrier} hub, ${from}`, description: "Sorted at the origin hub" },
  ];
  if (s.originCity.id !== s.destinationCity.id) {
    legs.push({
      status: "in_transit",
      location: `${s.carrier} hub, ${to}`,
      description: "Arrived at the destination hub",
    });
  }
  legs.push(
    { status: "out_for_delivery", location: to, description: "With the courier for delivery" },
    { status: "delivered", location: to, description: `Received by ${s.destination.recipient}` },
  );
  return legs;
}

/**
 * One move of the development carrier, run by a durable timer in its own transaction: records
 * the next event of the journey through the same use case as a carrier webhook, then schedules
 * the move after it. A shipment a real event already finished is left alone.
 */
export async function simulateStep(
  deps: Pick<ShippingDeps, "clock" | "simulator">,
  tx: ShippingTx,
  shipmentId: string,
  step: number,
): Promise<void> {
  const shipment = await tx.shipments.lock(shipmentId);
  if (!shipment || FINAL_STATUSES.has(shipment.status)) return;
  const journey = simulatedJourney(shipment);
  const leg = journey[step];
  if (!leg) return;
  const now = deps.clock.now();
  await recordCarrierEvent(tx, shipment, {
    ...leg,
    occurredAt: now,
    carrierCode: shipment.carrierCode,
    eventId: `sim-${shipment.id}-${step}`,
    source: "simulator",
    receivedAt: now,
  });
  if (step + 1 < journey.length) {
    await tx.simulation.schedule(shipment.id, step + 1, new Date(now.getTime() + deps.simulator.stepMs));
  }
}
