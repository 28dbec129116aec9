import type { CarrierDefinition } from "../../domain/carrier.ts";
import { COURIER_PICKUP, DAYTIME_DELIVERY } from "./pickup.ts";

/**
 * SiCepat. REG: volumetric divisor 6000, rounded up per kilogram with a 0.3 kg tolerance,
 * minimum 1 kg, up to 50 kg, everywhere. BEST (next day, delivery windows): divisor 6000,
 * every started kilogram charged, minimum 1 kg, up to 30 kg, not to other islands or remote
 * routes. Illustrative tariffs.
 */
export const sicepat: CarrierDefinition = {
  code: "sicepat",
  name: "SiCepat",
  awb: { prefix: "00", digits: 10 },
  statusCodes: {
    PICK: "picked_up",
    IN: "in_transit",
    ANT: "out_for_delivery",
    DELIVERED: "delivered",
    GAGAL: "delivery_failed",
    RTN: "returned_to_sender",
  },
  levels: [
    {
      id: "sicepat-reg",
      carrier: "SiCepat",
      service: "REG",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 300,
        minimumGrams: 1000,
        maximumGrams: 50_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 8_500, etdMinDays: 1, etdMaxDays: 2 },
        same_province: { base: 0, perKg: 10_500, etdMinDays: 1, etdMaxDays: 2 },
        same_island: { base: 0, perKg: 16_500, etdMinDays: 2, etdMaxDays: 3 },
        inter_island: { base: 0, perKg: 32_000, etdMinDays: 3, etdMaxDays: 5 },
        remote: { base: 0, perKg: 82_000, etdMinDays: 5, etdMaxDays: 8 },
      },
      pickup: COURIER_PICKUP,
    },
    {
      id: "sicepat-best",
      carrier: "SiCepat",
      service: "BEST",
      weight: {
        volumetricDivisor: 6000,
        roundingToleranceGrams: 0,
        minimumGrams: 1000,
        maximumGrams: 30_000,
        maxSideCm: 0,
      },
      rates: {
        same_city: { base: 0, perKg: 15_000, etdMinDays: 1, etdMaxDays: 1 },
        same_province: { base: 0, perKg: 19_000, etdMinDays: 1, etdMaxDays: 1 },
        same_island: { base: 0, perKg: 27_000, etdMinDays: 1, etdMaxDays: 1 },
      },
      pickup: COURIER_PICKUP,
      deliverySlots: DAYTIME_DELIVERY,
    },
  ],
};
