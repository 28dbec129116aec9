import type { City } from "../domain/geography.ts";
import type { Parcel } from "../domain/parcel.ts";
import type { Slot } from "../domain/slots.ts";
import type { CarrierStatus, ShipmentStatus } from "../domain/tracking.ts";

/** Shop to buyer, or a return from buyer to shop. */
export type ShipmentKind = "outbound" | "return";

/** A postal address as the order service sends it. */
export interface AddressRecord {
  recipient: string;
  phone: string;
  street: string;
  district: string;
  city: string;
  province: string;
  postalCode: string;
  latitude?: number;
  longitude?: number;
}

/** A shipment row. */
export interface ShipmentRecord {
  id: string;
  kind: ShipmentKind;
  orderId: string;
  /** Set for returns. */
  returnId: string | null;
  buyerId: string;
  shopId: string;
  shopOwnerId: string;
  optionId: string;
  carrierCode: string;
  carrier: string;
  service: string;
  awb: string;
  status: ShipmentStatus;
  /** Carrier time of the latest event applied to the status; null before the first. */
  statusAt: Date | null;
  price: number;
  chargeableGrams: number;
  parcel: Parcel;
  origin: AddressRecord;
  destination: AddressRecord;
  originCity: Pick<City, "id" | "name" | "province">;
  destinationCity: Pick<City, "id" | "name" | "province">;
  etdMinDays: number;
  etdMaxDays: number;
  pickupSlot: Slot;
  deliverySlot: Slot | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One entry of a shipment's tracking timeline. */
export interface TrackingRecord {
  status: CarrierStatus;
  occurredAt: Date;
  location: string;
  description: string;
}

/** A tracking event about to be recorded; `eventId` de-duplicates per carrier. */
export interface NewTrackingEvent extends TrackingRecord {
  carrierCode: string;
  eventId: string;
  /** "webhook" or "simulator". */
  source: string;
  receivedAt: Date;
}

/** A shipment with its timeline in event-time order. */
export interface ShipmentView extends ShipmentRecord {
  timeline: TrackingRecord[];
}

/** A status move, as ShipmentStatusChanged reports it. */
export interface StatusChange {
  shipment: ShipmentRecord;
  previous: ShipmentStatus;
  event: TrackingRecord;
}
