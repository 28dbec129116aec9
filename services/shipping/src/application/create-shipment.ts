import { DomainError, errors, type FieldViolation } from "@toko/kit";
import { type Parcel, parcelViolations } from "../domain/parcel.ts";
import { quoteServiceLevel } from "../domain/service-level.ts";
import { deliverySlots, pickupSlots, type Slot } from "../domain/slots.ts";
import { addressViolations } from "./address.ts";
import { referenceViolation } from "./caller.ts";
import type { AddressRecord, ShipmentKind, ShipmentRecord, ShipmentView } from "./model.ts";
import { findOption, NO_QUOTE_REASON, optionUnavailable, pickSlot } from "./options.ts";
import type { ShippingDeps } from "./ports.ts";
import { checkRoute } from "./route.ts";

/** A booking as the order service asks for it. */
export interface ShipmentRequest {
  kind: ShipmentKind;
  orderId: string;
  /** Required for returns, empty for outbound shipments. */
  returnId: string;
  buyerId: string;
  shopId: string;
  shopOwnerId: string;
  origin: AddressRecord;
  destination: AddressRecord;
  parcel: Parcel;
  optionId: string;
  /** Empty books the earliest window. */
  pickupSlotId: string;
  /** Empty for none. */
  deliverySlotId: string;
}

/** How many AWB numbers to draw before giving up on a (vanishingly unlikely) clash streak. */
const AWB_ATTEMPTS = 5;

function checkRequest(req: ShipmentRequest): void {
  const ids: [string, string][] = [
    ["order_id", req.orderId],
    ["buyer_id", req.buyerId],
    ["shop_id", req.shopId],
    ["shop_owner_user_id", req.shopOwnerId],
  ];
  if (req.kind === "return") ids.push(["return_id", req.returnId]);
  const violations: FieldViolation[] = [];
  for (const [field, value] of ids) {
    const v = referenceViolation(field, value);
    if (v) violations.push(v);
  }
  violations.push(
    ...addressViolations("origin", req.origin),
    ...addressViolations("destination", req.destination),
  );
  violations.push(...parcelViolations(req.parcel));
  if (violations.length > 0) {
    throw errors.invalid(violations.map((v) => `${v.field} ${v.message}`).join("; "), violations);
  }
}

/** Whether a repeated booking asks for the same thing as the first one. */
function sameBooking(existing: ShipmentRecord, req: ShipmentRequest): boolean {
  const p = existing.parcel;
  return (
    existing.optionId === req.optionId &&
    existing.orderId === req.orderId &&
    existing.buyerId === req.buyerId &&
    existing.shopId === req.shopId &&
    p.weightGrams === req.parcel.weightGrams &&
    p.lengthCm === req.parcel.lengthCm &&
    p.widthCm === req.parcel.widthCm &&
    p.heightCm === req.parcel.heightCm
  );
}

/**
 * CreateShipment / CreateReturnShipment: prices the parcel again from the addresses, issues an
 * AWB in the carrier's format, books the pickup window (and the delivery window, if chosen)
 * and publishes ShipmentCreated. Idempotent per order id (outbound) or return id (returns).
 * Only internal services book: the transport admits a service principal alone.
 */
export async function createShipment(deps: ShippingDeps, req: ShipmentRequest): Promise<ShipmentView> {
  checkRequest(req);
  const { carrier, level } = findOption(deps, req.optionId);
  const route = checkRoute(
    deps.cities,
    { city: req.origin.city, province: req.origin.province, field: "origin" },
    { city: req.destination.city, province: req.destination.province, field: "destination" },
    undefined,
  );
  const reference = req.kind === "return" ? req.returnId : req.orderId;
  const now = deps.clock.now();

  const created = await deps.uow.run(async (tx) => {
    await tx.shipments.lockReference(req.kind, reference);
    const existing = await tx.shipments.byReference(req.kind, reference);
    if (existing) {
      if (!sameBooking(existing, req)) {
        throw new DomainError(
          "conflict",
          "SHIPMENT_CONFLICT",
          `${req.kind === "return" ? "return" : "order"} ${reference} already has a different shipment`,
        );
      }
      return { id: existing.id, fresh: false };
    }
    const quote = quoteServiceLevel(level, route.zone, route.from, route.to, req.parcel);
    if (typeof quote === "string") throw optionUnavailable(req.optionId, NO_QUOTE_REASON[quote]);
    const pickup = pickupSlots(level.pickup, now, route.from.utcOffsetHours);
    // No id books the earliest window; none open at all is SLOT_UNAVAILABLE too.
    const pickupSlot = pickSlot(pickup, req.pickupSlotId || (pickup[0]?.id ?? ""), "pickup_slot_id");
    let deliverySlot: Slot | null = null;
    if (req.deliverySlotId !== "") {
      const offered = level.deliverySlots
        ? deliverySlots(level.deliverySlots, now, route.to.utcOffsetHours, quote.etdMinDays)
        : [];
      deliverySlot = pickSlot(offered, req.deliverySlotId, "delivery_slot_id");
    }
    const record: ShipmentRecord = {
      id: deps.newId(),
      kind: req.kind,
      orderId: req.orderId,
      returnId: req.kind === "return" ? req.returnId : null,
      buyerId: req.buyerId,
      shopId: req.shopId,
      shopOwnerId: req.shopOwnerId,
      optionId: level.id,
      carrierCode: carrier.code,
      carrier: level.carrier,
      service: level.service,
      awb: "",
      status: "awaiting_pickup",
      statusAt: null,
      price: quote.price,
      chargeableGrams: quote.chargeableGrams,
      parcel: req.parcel,
      origin: req.origin,
      destination: req.destination,
      originCity: route.from,
      destinationCity: route.to,
      etdMinDays: quote.etdMinDays,
      etdMaxDays: quote.etdMaxDays,
      pickupSlot,
      deliverySlot,
      createdAt: now,
      updatedAt: now,
    };
    for (let attempt = 0; record.awb === "" && attempt < AWB_ATTEMPTS; attempt++) {
      const awb = carrier.newAwb();
      if (await tx.shipments.insert({ ...record, awb })) record.awb = awb;
    }
    if (record.awb === "")
      throw new Error(`no free ${carrier.name} air waybill number after ${AWB_ATTEMPTS} draws`);
    await tx.events.shipmentCreated({ ...record, timeline: [] });
    if (deps.simulator.enabled) {
      await tx.simulation.schedule(record.id, 0, new Date(now.getTime() + deps.simulator.stepMs));
    }
    return { id: record.id, fresh: true };
  });
  const view = await deps.reads.shipment(created.id);
  if (!view) throw new Error(`shipment ${created.id} vanished after booking`);
  return view;
}
