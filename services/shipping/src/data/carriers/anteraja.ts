import type { CarrierDefinition } from "../../domain/carrier.ts";
import { COURIER_PICKUP, DAYTIME_DELIVERY } from "./pickup.ts";

/**
 * AnterAja REG (delivery windows): volumetric divisor 6000; rounded up per kilogram with a
 * 0.5 kg tolerance (1.5 kg → 1 kg, 1.501 kg → 2 kg); minimum 1 kg; up to 50 kg. Illustrative
 * tariffs.
 */
export const anteraja: CarrierDefinition = {
  code: "anteraja",
  name: "AnterAja",
  awb: { prefix: "11", digits: 11 },
  statusCodes: {
    "200": "picked_up",
    "210": "in_transit",
    "240": "out_for_delivery",
    "250": "delivered",
    "260": "delivery_failed",
    "270": "returned_to_sender",
  },
  levels: [
    {
      id: "anteraja-reg",
      carrier: "AnterAja",
      service: "REG",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 500,
        minimumGrams: 1000,
        maximumGrams: 50_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 8_000, etdMinDays: 1, etdMaxDays: 2 },
        same_province: { base: 0, perKg: 10_000, etdMinDays: 1, etdMaxDays: 3 },
        same_island: { base: 0, perKg: 16_000, etdMinDays: 2, etdMaxDays: 4 },
        inter_island: { base: 0, perKg: 31_000, etdMinDays: 3, etdMaxDays: 6 },
        remote: { base: 0, perKg: 78_000, etdMinDays: 6, etdMaxDays: 10 },
      },
      pickup: COURIER_PICKUP,
      deliverySlots: DAYTIME_DELIVERY,
    },
  ],
};
