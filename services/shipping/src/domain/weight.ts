import type { Parcel } from "./parcel.ts";

/** How a carrier service level turns a parcel into the weight it charges. */
export interface WeightRule {
  /** cm³ per kilogram: volumetric kg = L × W × H / divisor. */
  volumetricDivisor: number;
  /**
   * Grams over a whole kilogram not yet charged as the next one: 300 means 1.3 kg is charged
   * as 1 kg and 1.301 kg as 2 kg; 0 always rounds up to the next kilogram.
   */
  roundingToleranceGrams: number;
  /** The least weight charged (whole kilograms). */
  minimumGrams: number;
  /** The heaviest actual weight carried. */
  maximumGrams: number;
  /** The longest side carried; 0 for no limit beyond the parcel rules. */
  maxSideCm: number;
}

/** L × W × H / divisor, in whole grams (rounded up); 0 when the dimensions are unknown. */
export function volumetricGrams(parcel: Parcel, divisor: number): number {
  const cm3 = parcel.lengthCm * parcel.widthCm * parcel.heightCm;
  return cm3 === 0 ? 0 : Math.ceil((cm3 * 1000) / divisor);
}

/** Whole kilograms charged for `grams` under the rule's tolerance and minimum, in grams. */
export function roundedGrams(grams: number, rule: WeightRule): number {
  const whole = Math.floor(grams / 1000);
  const over = grams - whole * 1000;
  const kg = over > rule.roundingToleranceGrams ? whole + 1 : whole;
  return Math.max(kg * 1000, rule.minimumGrams);
}

/** max(actual, volumetric), rounded per the rule: the weight the price is computed on. */
export function chargeableGrams(parcel: Parcel, rule: WeightRule): number {
  return roundedGrams(Math.max(parcel.weightGrams, volumetricGrams(parcel, rule.volumetricDivisor)), rule);
}
