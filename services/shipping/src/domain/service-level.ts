import type { City, Zone } from "./geography.ts";
import type { Parcel } from "./parcel.ts";
import type { DeliverySlotRule, PickupRule } from "./slots.ts";
import { chargeableGrams, type WeightRule } from "./weight.ts";

/** Price and transit time of one zone: base + perKg × chargeable kilograms, integer rupiah. */
export interface ZoneRate {
  base: number;
  perKg: number;
  etdMinDays: number;
  etdMaxDays: number;
}

/** One carrier service level (JNE REG, GoSend Instant …) as its rate table ships it. */
export interface ServiceLevel {
  /** Stable option id: "jne-reg". */
  id: string;
  /** Display names: "JNE", "REG". */
  carrier: string;
  service: string;
  weight: WeightRule;
  /** Zones served; a zone missing here is out of coverage. */
  rates: Partial<Record<Zone, ZoneRate>>;
  /** City ids served (instant couriers run in a few cities only); absent = everywhere. */
  cities?: readonly string[];
  pickup: PickupRule;
  /** Delivery windows the buyer may choose; absent when the service level offers none. */
  deliverySlots?: DeliverySlotRule;
}

/** A priced service level for one parcel on one route. */
export interface Quote {
  optionId: string;
  carrier: string;
  service: string;
  price: number;
  etdMinDays: number;
  etdMaxDays: number;
  chargeableGrams: number;
  deliverySlots: boolean;
}

/** Why a service level does not carry a parcel on a route. */
export type NoQuote = "zone_not_served" | "city_not_served" | "too_heavy" | "too_large";

/** Prices `parcel` from `from` to `to` (zone given) under one service level, or says why not. */
export function quoteServiceLevel(
  level: ServiceLevel,
  zone: Zone,
  from: City,
  to: City,
  parcel: Parcel,
): Quote | NoQuote {
  const rate = level.rates[zone];
  if (!rate) return "zone_not_served";
  if (level.cities && !(level.cities.includes(from.id) && level.cities.includes(to.id))) {
    return "city_not_served";
  }
  if (parcel.weightGrams > level.weight.maximumGrams) return "too_heavy";
  const longest = Math.max(parcel.lengthCm, parcel.widthCm, parcel.heightCm);
  if (level.weight.maxSideCm > 0 && longest > level.weight.maxSideCm) return "too_large";
  const grams = chargeableGrams(parcel, level.weight);
  if (grams > level.weight.maximumGrams) return "too_large";
  return {
    optionId: level.id,
    carrier: level.carrier,
    service: level.service,
    price: rate.base + (rate.perKg * grams) / 1000,
    etdMinDays: rate.etdMinDays,
    etdMaxDays: rate.etdMaxDays,
    chargeableGrams: grams,
    deliverySlots: level.deliverySlots !== undefined,
  };
}

/** Quotes cheapest first; ties by faster delivery, then option id (a stable order). */
export function byPrice(a: Quote, b: Quote): number {
  return a.price - b.price || a.etdMaxDays - b.etdMaxDays || a.optionId.localeCompare(b.optionId);
}
