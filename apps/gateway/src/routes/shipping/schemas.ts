import { Type } from "@sinclair/typebox";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Timestamp = Type.String({ format: "date-time" });
const City = Type.Object({ city: Type.String(), province: Type.String() });
const Slot = Type.Object({ id: Type.String(), start: Timestamp, end: Timestamp });
const CityName = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });
const Province = Type.Optional(
  Type.String({ maxLength: 100, description: "narrows an ambiguous city name" }),
);
const Side = (name: string) =>
  Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 300,
      default: 0,
      description: `${name} in cm; 0 or absent = unknown`,
    }),
  );

/** `GET /api/v1/shipping/rates` query. */
export const RatesQuery = Type.Object(
  {
    origin_city: CityName('"Kota Bandung", "Kabupaten Bandung", or "Bandung" (the kota when both exist)'),
    origin_province: Province,
    destination_city: CityName("as origin_city"),
    destination_province: Province,
    weight_grams: Type.Integer({ minimum: 1, maximum: 150_000, description: "actual weight, 1 g – 150 kg" }),
    length_cm: Side("length"),
    width_cm: Side("width"),
    height_cm: Side("height"),
  },
  { additionalProperties: false },
);

export const RateOption = Type.Object({
  id: Type.String({ description: 'option id for checkout, e.g. "jne-reg"' }),
  carrier: Type.String(),
  service: Type.String(),
  price: Money,
  etd_days: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  chargeable_weight_grams: Type.Integer({ description: "max(actual, volumetric), rounded per the carrier" }),
  delivery_slots: Type.Boolean({ description: "whether the buyer may choose a delivery window" }),
});

export const RatesView = Type.Object({
  origin: City,
  destination: City,
  zone: Type.String({ description: "same_city, same_province, same_island, inter_island or remote" }),
  items: Type.Array(RateOption, { description: "cheapest first; empty when no carrier serves the route" }),
});

const OptionId = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'a rate option id, e.g. "jne-reg"',
});

/** `GET /api/v1/shipping/pickup-slots` query. */
export const PickupSlotsQuery = Type.Object(
  { option_id: OptionId, origin_city: CityName("where the courier collects"), origin_province: Province },
  { additionalProperties: false },
);

/** `GET /api/v1/shipping/delivery-slots` query. */
export const DeliverySlotsQuery = Type.Object(
  {
    option_id: OptionId,
    origin_city: CityName("where the parcel starts"),
    origin_province: Province,
    destination_city: CityName("where it is delivered"),
    destination_province: Province,
  },
  { additionalProperties: false },
);

export const SlotList = Type.Object({
  items: Type.Array(Slot, { description: "windows in UTC, earliest first; the id is what a booking sends" }),
});

/** `PUT /api/v1/shipments/{id}/delivery-slot` body. */
export const DeliverySlotBody = Type.Object(
  {
    slot_id: Type.String({ minLength: 1, maxLength: 64, description: "an id from /shipping/delivery-slots" }),
  },
  { additionalProperties: false },
);

export const ShipmentParams = Type.Object({ id: pathId({ uuid: true, description: "the shipment id" }) });

export const ShipmentView = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: "outbound (shop to buyer) or return (buyer to shop)" }),
  order_id: Type.String(),
  return_id: Type.Union([Type.String(), Type.Null()]),
  shop_id: Type.String(),
  option_id: Type.String(),
  carrier: Type.String(),
  service: Type.String(),
  awb: Type.String({ description: "air waybill number in the carrier's format" }),
  status: Type.String({
    description:
      "awaiting_pickup, picked_up, in_transit, out_for_delivery, delivery_failed, delivered or returned_to_sender",
  }),
  price: Money,
  chargeable_weight_grams: Type.Integer(),
  origin: City,
  destination: City,
  etd_days: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  pickup_slot: Type.Union([Slot, Type.Null()]),
  delivery_slot: Type.Union([Slot, Type.Null()]),
  timeline: Type.Array(
    Type.Object({
      status: Type.String(),
      at: Timestamp,
      location: Type.String(),
      description: Type.String(),
    }),
    { description: "tracking events in event-time order, oldest first" },
  ),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const CarrierParams = Type.Object({
  carrier: pathId({ maxLength: 32, description: "the carrier code: jne, jnt, sicepat, anteraja, gosend" }),
});

export const WebhookAck = Type.Object({
  received: Type.Boolean(),
  duplicate: Type.Boolean({ description: "the event was already recorded; nothing changed" }),
  shipment_id: Type.String(),
  status: Type.String(),
});

/** Problem responses a shipping endpoint can answer, for the OpenAPI document. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
