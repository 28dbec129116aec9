import type { CarrierDefinition } from "../../domain/carrier.ts";
import { COURIER_PICKUP } from "./pickup.ts";

/**
 * JNE. Both service levels: volumetric divisor 6000; rounded up per kilogram with a 0.3 kg
 * tolerance (1.3 kg → 1 kg, 1.31 kg → 2 kg); minimum 1 kg. YES (next day) does not serve
 * remote routes and carries up to 50 kg; REG up to 70 kg. Illustrative tariffs.
 */
export const jne: CarrierDefinition = {
  code: "jne",
  name: "JNE",
  awb: { prefix: "01", digits: 14 },
  statusCodes: {
    PU: "picked_up",
    TR: "in_transit",
    WC: "out_for_delivery",
    D01: "delivered",
    U: "delivery_failed",
    RT: "returned_to_sender",
  },
  levels: [
    {
      id: "jne-reg",
      carrier: "JNE",
      service: "REG",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 300,
        minimumGrams: 1000,
        maximumGrams: 70_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 9_000, etdMinDays: 1, etdMaxDays: 2 },
        same_province: { base: 0, perKg: 11_000, etdMinDays: 1, etdMaxDays: 3 },
        same_island: { base: 0, perKg: 18_000, etdMinDays: 2, etdMaxDays: 4 },
        inter_island: { base: 0, perKg: 35_000, etdMinDays: 3, etdMaxDays: 6 },
        remote: { base: 0, perKg: 85_000, etdMinDays: 5, etdMaxDays: 9 },
      },
      pickup: COURIER_PICKUP,
    },
    {
      id: "jne-yes",
      carrier: "JNE",
      service: "YES",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 300,
        minimumGrams: 1000,
        maximumGrams: 50_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 18_000, etdMinDays: 1, etdMaxDays: 1 },
        same_province: { base: 0, perKg: 22_000, etdMinDays: 1, etdMaxDays: 1 },
        same_island: { base: 0, perKg: 30_000, etdMinDays: 1, etdMaxDays: 1 },
        inter_island: { base: 0, perKg: 55_000, etdMinDays: 1, etdMaxDays: 2 },
      },
      pickup: COURIER_PICKUP,
    },
  ],
};
