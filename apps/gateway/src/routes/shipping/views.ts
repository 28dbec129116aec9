import {
  type City,
  type QuoteRatesResponse,
  type Shipment,
  ShipmentKind,
  ShipmentStatus,
  type Slot,
} from "@toko/contracts/toko/shipping/v1/shipping";

const money = (m: { amount: number; currency: string } | undefined) => ({
  amount: m?.amount ?? 0,
  currency: m?.currency || "IDR",
});
const city = (c: City | undefined) => ({ city: c?.name ?? "", province: c?.province ?? "" });
const iso = (d: Date | undefined) => (d ?? new Date(0)).toISOString();
/** A pickup or delivery window as the public API spells it. */
export const slotJson = (s: Slot) => ({ id: s.id, start: iso(s.start), end: iso(s.end) });
const slot = (s: Slot | undefined) => (s ? slotJson(s) : null);

const STATUS: Partial<Record<ShipmentStatus, string>> = {
  [ShipmentStatus.SHIPMENT_STATUS_AWAITING_PICKUP]: "awaiting_pickup",
  [ShipmentStatus.SHIPMENT_STATUS_PICKED_UP]: "picked_up",
  [ShipmentStatus.SHIPMENT_STATUS_IN_TRANSIT]: "in_transit",
  [ShipmentStatus.SHIPMENT_STATUS_OUT_FOR_DELIVERY]: "out_for_delivery",
  [ShipmentStatus.SHIPMENT_STATUS_DELIVERY_FAILED]: "delivery_failed",
  [ShipmentStatus.SHIPMENT_STATUS_DELIVERED]: "delivered",
  [ShipmentStatus.SHIPMENT_STATUS_RETURNED_TO_SENDER]: "returned_to_sender",
};

/** A shipment status as the public API spells it. */
export const statusJson = (s: ShipmentStatus): string => STATUS[s] ?? "unknown";

/** The rates answer as `GET /api/v1/shipping/rates` returns it. */
export function ratesJson(res: QuoteRatesResponse) {
  return {
    origin: city(res.origin),
    destination: city(res.destination),
    zone: res.zone,
    items: res.quotes.map((q) => ({
      id: q.optionId,
      carrier: q.carrier,
      service: q.service,
      price: money(q.price),
      etd_days: { min: q.etdMinDays, max: q.etdMaxDays },
      chargeable_weight_grams: q.chargeableWeightGrams,
      delivery_slots: q.deliverySlots,
    })),
  };
}

/** A shipment as `GET /api/v1/shipments/{id}` returns it (cities only: no street addresses). */
export function shipmentJson(s: Shipment | undefined) {
  if (!s) throw new Error("the shipping service answered without a shipment");
  return {
    id: s.id,
    kind: s.kind === ShipmentKind.SHIPMENT_KIND_RETURN ? "return" : "outbound",
    order_id: s.orderId,
    return_id: s.returnId || null,
    shop_id: s.shopId,
    option_id: s.optionId,
    carrier: s.carrier,
    service: s.service,
    awb: s.awb,
    status: statusJson(s.status),
    price: money(s.price),
    chargeable_weight_grams: s.chargeableWeightGrams,
    origin: city(s.origin),
    destination: city(s.destination),
    etd_days: { min: s.etdMinDays, max: s.etdMaxDays },
    pickup_slot: slot(s.pickupSlot),
    delivery_slot: slot(s.deliverySlot),
    timeline: s.timeline.map((e) => ({
      status: statusJson(e.status),
      at: iso(e.occurredAt),
      location: e.location,
      description: e.description,
    })),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}
