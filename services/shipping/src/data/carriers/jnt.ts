import type { CarrierDefinition } from "../../domain/carrier.ts";
import { COURIER_PICKUP } from "./pickup.ts";

/**
 * J&T Express EZ: volumetric divisor 6000; every started kilogram is charged (no tolerance:
 * 1.01 kg → 2 kg); minimum 1 kg; up to 50 kg. Illustrative tariffs.
 */
export const jnt: CarrierDefinition = {
  code: "jnt",
  name: "J&T",
  awb: { prefix: "JP", digits: 10 },
  statusCodes: {
    PICKUP: "picked_up",
    TRANSIT: "in_transit",
    DELIVERING: "out_for_delivery",
    SIGNED: "delivered",
    PROBLEM: "delivery_failed",
    RETURNED: "returned_to_sender",
  },
  levels: [
    {
      id: "jnt-ez",
      carrier: "J&T",
      service: "EZ",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 0,
        minimumGrams: 1000,
        maximumGrams: 50_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 8_000, etdMinDays: 1, etdMaxDays: 2 },
        same_province: { base: 0, perKg: 10_000, etdMinDays: 1, etdMaxDays: 3 },
        same_island: { base: 0, perKg: 17_000, etdMinDays: 2, etdMaxDays: 4 },
        inter_island: { base: 0, perKg: 33_000, etdMinDays: 3, etdMaxDays: 7 },
        remote: { base: 0, perKg: 80_000, etdMinDays: 5, etdMaxDays: 10 },
      },
      pickup: { ...COURIER_PICKUP, sundays: true },
    },
  ],
};
