import type { CarrierDefinition } from "../../domain/carrier.ts";

/** Cities with GoSend drivers (city ids of src/data/indonesia.ts). */
const GOSEND_CITIES = [
  "kota-administrasi-jakarta-pusat",
  "kota-administrasi-jakarta-utara",
  "kota-administrasi-jakarta-barat",
  "kota-administrasi-jakarta-selatan",
  "kota-administrasi-jakarta-timur",
  "kota-bandung",
  "kota-bekasi",
  "kota-bogor",
  "kota-depok",
  "kota-tangerang",
  "kota-tangerang-selatan",
  "kota-surabaya",
  "kabupaten-sidoarjo",
  "kota-malang",
  "kota-semarang",
  "kota-surakarta",
  "kota-yogyakarta",
  "kabupaten-sleman",
  "kota-denpasar",
  "kabupaten-badung",
  "kota-medan",
  "kota-palembang",
  "kota-pekanbaru",
  "kota-batam",
  "kota-makassar",
  "kota-manado",
  "kota-balikpapan",
];

/**
 * GoSend, by motorbike within one city only (both ends in the same city or regency, and one
 * GoSend serves), up to 20 kg and 70 cm on the longest side (the driver's box). Volumetric
 * divisor 5000; every started kilogram charged; minimum 1 kg. Price = base fare + per kg.
 * Same Day offers afternoon and evening delivery windows. Illustrative tariffs.
 */
export const gosend: CarrierDefinition = {
  code: "gosend",
  name: "GoSend",
  awb: { prefix: "GK-11-", digits: 9 },
  statusCodes: {
    PICKED_UP: "picked_up",
    ON_THE_WAY: "in_transit",
    NEAR_DESTINATION: "out_for_delivery",
    COMPLETED: "delivered",
    FAILED: "delivery_failed",
    RETURNED: "returned_to_sender",
  },
  levels: [
    {
      id: "gosend-instant",
      carrier: "GoSend",
      service: "Instant",
      weight: {
        volumetricDivisor: 5000,
        roundingToleranceGrams: 0,
        minimumGrams: 1000,
        maximumGrams: 20_000,
        maxSideCm: 70,
      },
      rates: { same_city: { base: 20_000, perKg: 2_500, etdMinDays: 0, etdMaxDays: 0 } },
      cities: GOSEND_CITIES,
      pickup: {
        windows: Array.from({ length: 13 }, (_, i) => ({ startHour: 8 + i, endHour: 9 + i })),
        days: 2,
        sundays: true,
        leadMinutes: 15,
      },
    },
    {
      id: "gosend-sameday",
      carrier: "GoSend",
      service: "Same Day",
      weight: {
        volumetricDivisor: 5000,
        roundingToleranceGrams: 0,
        minimumGrams: 1000,
        maximumGrams: 20_000,
        maxSideCm: 70,
      },
      rates: { same_city: { base: 12_000, perKg: 1_500, etdMinDays: 0, etdMaxDays: 0 } },
      cities: GOSEND_CITIES,
      pickup: { windows: [{ startHour: 9, endHour: 12 }], days: 2, sundays: true, leadMinutes: 30 },
      deliverySlots: {
        windows: [
          { startHour: 15, endHour: 18 },
          { startHour: 18, endHour: 21 },
        ],
        days: 2,
      },
    },
  ],
};
