import type { Selectable } from "kysely";
import type { AddressRecord, ShipmentKind, ShipmentRecord, TrackingRecord } from "../application/model.ts";
import { slotOf } from "../domain/slots.ts";
import type { CarrierStatus, ShipmentStatus } from "../domain/tracking.ts";
import type { ShippingDatabase } from "./schema.ts";

type ShipmentRow = Selectable<ShippingDatabase["shipments"]>;
type EventRow = Pick<
  Selectable<ShippingDatabase["tracking_events"]>,
  "status" | "occurred_at" | "location" | "description"
>;

/** A shipments row as the application sees it. */
export function shipmentFromRow(r: ShipmentRow): ShipmentRecord {
  return {
    id: r.id,
    kind: r.kind as ShipmentKind,
    orderId: r.order_id,
    returnId: r.return_id,
    buyerId: r.buyer_id,
    shopId: r.shop_id,
    shopOwnerId: r.shop_owner_id,
    optionId: r.option_id,
    carrierCode: r.carrier_code,
    carrier: r.carrier,
    service: r.service,
    awb: r.awb,
    status: r.status as ShipmentStatus,
    statusAt: r.status_at,
    price: r.price,
    chargeableGrams: r.chargeable_grams,
    parcel: {
      weightGrams: r.weight_grams,
      lengthCm: r.length_cm,
      widthCm: r.width_cm,
      heightCm: r.height_cm,
    },
    origin: r.origin as AddressRecord,
    destination: r.destination as AddressRecord,
    originCity: { id: r.origin_city_id, name: r.origin_city, province: r.origin_province },
    destinationCity: {
      id: r.destination_city_id,
      name: r.destination_city,
      province: r.destination_province,
    },
    etdMinDays: r.etd_min_days,
    etdMaxDays: r.etd_max_days,
    pickupSlot: slotOf(r.pickup_start, r.pickup_end),
    deliverySlot: r.delivery_start && r.delivery_end ? slotOf(r.delivery_start, r.delivery_end) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A shipment as a row to insert. */
export function shipmentToRow(s: ShipmentRecord) {
  return {
    id: s.id,
    kind: s.kind,
    reference: s.kind === "return" ? (s.returnId ?? "") : s.orderId,
    order_id: s.orderId,
    return_id: s.returnId,
    buyer_id: s.buyerId,
    shop_id: s.shopId,
    shop_owner_id: s.shopOwnerId,
    option_id: s.optionId,
    carrier_code: s.carrierCode,
    carrier: s.carrier,
    service: s.service,
    awb: s.awb,
    status: s.status,
    status_at: s.statusAt,
    price: s.price,
    chargeable_grams: s.chargeableGrams,
    weight_grams: s.parcel.weightGrams,
    length_cm: s.parcel.lengthCm,
    width_cm: s.parcel.widthCm,
    height_cm: s.parcel.heightCm,
    origin: JSON.stringify(s.origin),
    destination: JSON.stringify(s.destination),
    origin_city_id: s.originCity.id,
    origin_city: s.originCity.name,
    origin_province: s.originCity.province,
    destination_city_id: s.destinationCity.id,
    destination_city: s.destinationCity.name,
    destination_province: s.destinationCity.province,
    etd_min_days: s.etdMinDays,
    etd_max_days: s.etdMaxDays,
    pickup_start: s.pickupSlot.start,
    pickup_end: s.pickupSlot.end,
    delivery_start: s.deliverySlot?.start ?? null,
    delivery_end: s.deliverySlot?.end ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** A tracking_events row as a timeline entry. */
export function eventFromRow(r: EventRow): TrackingRecord {
  return {
    status: r.status as CarrierStatus,
    occurredAt: r.occurred_at,
    location: r.location,
    description: r.description,
  };
}
