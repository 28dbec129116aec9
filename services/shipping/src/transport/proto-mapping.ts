import type { Address } from "@toko/contracts/toko/common/v1/address";
import {
  type City as CityProto,
  type Parcel as ParcelProto,
  type RateQuote,
  type Shipment,
  ShipmentKind,
  ShipmentStatus,
  type Slot as SlotProto,
} from "@toko/contracts/toko/shipping/v1/shipping";
import type { AddressRecord, ShipmentKind as Kind, ShipmentView } from "../application/model.ts";
import type { City } from "../domain/geography.ts";
import type { Parcel } from "../domain/parcel.ts";
import type { Quote } from "../domain/service-level.ts";
import type { Slot } from "../domain/slots.ts";
import type { ShipmentStatus as Status } from "../domain/tracking.ts";

/** Integer rupiah as toko.common.v1.Money. */
export const idr = (amount: number) => ({ amount, currency: "IDR" });

const STATUS: Record<Status, ShipmentStatus> = {
  awaiting_pickup: ShipmentStatus.SHIPMENT_STATUS_AWAITING_PICKUP,
  picked_up: ShipmentStatus.SHIPMENT_STATUS_PICKED_UP,
  in_transit: ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT,
  out_for_delivery: ShipmentStatus.SHIPMENT_STATUS_OUT_FOR_DELIVERY,
  delivery_failed: ShipmentStatus.SHIPMENT_STATUS_DELIVERY_FAILED,
  delivered: ShipmentStatus.SHIPMENT_STATUS_DELIVERED,
  returned_to_sender: ShipmentStatus.SHIPMENT_STATUS_RETURNED_TO_SENDER,
};

export const statusToProto = (s: Status): ShipmentStatus => STATUS[s];
export const kindToProto = (k: Kind): ShipmentKind =>
  k === "return" ? ShipmentKind.SHIPMENT_KIND_RETURN : ShipmentKind.SHIPMENT_KIND_OUTBOUND;

/** A missing parcel reads as all zeros (refused by the parcel rules). */
export function parcelFromProto(p: ParcelProto | undefined): Parcel {
  return {
    weightGrams: p?.weightGrams ?? 0,
    lengthCm: p?.lengthCm ?? 0,
    widthCm: p?.widthCm ?? 0,
    heightCm: p?.heightCm ?? 0,
  };
}

export function addressFromProto(a: Address | undefined): AddressRecord {
  return {
    recipient: a?.recipient ?? "",
    phone: a?.phone ?? "",
    street: a?.street ?? "",
    district: a?.district ?? "",
    city: a?.city ?? "",
    province: a?.province ?? "",
    postalCode: a?.postalCode ?? "",
    ...(a?.latitude !== undefined ? { latitude: a.latitude } : {}),
    ...(a?.longitude !== undefined ? { longitude: a.longitude } : {}),
  };
}

export const cityToProto = (c: Pick<City, "name" | "province">): CityProto => ({
  name: c.name,
  province: c.province,
});
export const slotToProto = (s: Slot): SlotProto => ({ id: s.id, start: s.start, end: s.end });

export function quoteToProto(q: Quote): RateQuote {
  return {
    optionId: q.optionId,
    carrier: q.carrier,
    service: q.service,
    price: idr(q.price),
    etdMinDays: q.etdMinDays,
    etdMaxDays: q.etdMaxDays,
    chargeableWeightGrams: q.chargeableGrams,
    deliverySlots: q.deliverySlots,
  };
}

export function shipmentToProto(s: ShipmentView): Shipment {
  return {
    id: s.id,
    kind: kindToProto(s.kind),
    orderId: s.orderId,
    returnId: s.returnId ?? "",
    buyerId: s.buyerId,
    shopId: s.shopId,
    optionId: s.optionId,
    carrier: s.carrier,
    service: s.service,
    awb: s.awb,
    status: statusToProto(s.status),
    price: idr(s.price),
    chargeableWeightGrams: s.chargeableGrams,
    origin: cityToProto(s.originCity),
    destination: cityToProto(s.destinationCity),
    etdMinDays: s.etdMinDays,
    etdMaxDays: s.etdMaxDays,
    pickupSlot: slotToProto(s.pickupSlot),
    deliverySlot: s.deliverySlot ? slotToProto(s.deliverySlot) : undefined,
    timeline: s.timeline.map((e) => ({
      status: statusToProto(e.status),
      occurredAt: e.occurredAt,
      location: e.location,
      description: e.description,
    })),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
