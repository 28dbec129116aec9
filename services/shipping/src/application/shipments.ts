import { DomainError, errors, type Principal, SERVICE_ROLE } from "@toko/kit";
import { deliverySlots } from "../domain/slots.ts";
import type { ShipmentRecord, ShipmentView } from "./model.ts";
import { pickSlot } from "./options.ts";
import type { ShippingDeps } from "./ports.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A shipment id as stored (lower case); NOT_FOUND for any other shape, as for an unknown id. */
function shipmentIdOf(value: string): string {
  if (!UUID.test(value)) throw errors.notFound("shipment");
  return value.toLowerCase();
}

/** Whether the caller may see the shipment: its buyer, the shop's owner or an internal service. */
function mayRead(principal: Principal, s: ShipmentRecord): boolean {
  return (
    principal.subject === s.buyerId ||
    principal.subject === s.shopOwnerId ||
    principal.roles.includes(SERVICE_ROLE)
  );
}

/** GetShipment: NOT_FOUND for a malformed or unknown id and for anyone who may not see it. */
export async function getShipment(
  deps: ShippingDeps,
  caller: Principal,
  shipmentId: string,
): Promise<ShipmentView> {
  const view = await deps.reads.shipment(shipmentIdOf(shipmentId));
  if (!view || !mayRead(caller, view)) throw errors.notFound("shipment");
  return view;
}

/** Statuses in which the delivery window may still change. */
const SLOT_CHANGEABLE = new Set(["awaiting_pickup", "picked_up", "in_transit"]);

/**
 * ChooseDeliverySlot: the buyer picks one of the windows the service level offers from the
 * earliest arrival on, until the parcel is out for delivery (then SHIPMENT_CONFLICT).
 */
export async function chooseDeliverySlot(
  deps: ShippingDeps,
  caller: Principal,
  shipmentId: string,
  slotId: string,
): Promise<ShipmentView> {
  const id = shipmentIdOf(shipmentId);
  await deps.uow.run(async (tx) => {
    const s = await tx.shipments.lock(id);
    if (!s || !mayRead(caller, s)) throw errors.notFound("shipment");
    if (caller.subject !== s.buyerId && !caller.roles.includes(SERVICE_ROLE)) {
      throw errors.forbidden("only the buyer chooses the delivery window");
    }
    if (!SLOT_CHANGEABLE.has(s.status)) {
      throw new DomainError(
        "conflict",
        "SHIPMENT_CONFLICT",
        `too late to choose a delivery window (${s.status})`,
      );
    }
    const rule = deps.carriers.option(s.optionId)?.level.deliverySlots;
    const offset = deps.cities.byId(s.destinationCity.id)?.utcOffsetHours ?? 7;
    const now = deps.clock.now();
    const offered = rule
      ? deliverySlots(rule, s.createdAt, offset, s.etdMinDays).filter((slot) => slot.start > now)
      : [];
    await tx.shipments.setDeliverySlot(id, pickSlot(offered, slotId, "delivery_slot_id"), now);
  });
  return getShipment(deps, caller, id);
}
