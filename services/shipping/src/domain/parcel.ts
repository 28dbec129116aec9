import type { FieldViolation } from "@toko/kit/errors";

/** A parcel as declared: whole grams and centimetres; all dimensions zero when unknown. */
export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/** Heaviest parcel any carrier here accepts; more is a typo, not a shipment. */
export const MAX_PARCEL_GRAMS = 150_000;
/** Longest side any carrier here accepts. */
export const MAX_SIDE_CM = 300;

/**
 * What is wrong with a parcel, by public field name: weight must be 1 g–150 kg; dimensions
 * whole centimetres up to 300, either all given or all zero.
 */
export function parcelViolations(p: Parcel): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (!Number.isInteger(p.weightGrams) || p.weightGrams <= 0) {
    out.push({ field: "weight_grams", message: "must be a positive whole number of grams" });
  } else if (p.weightGrams > MAX_PARCEL_GRAMS) {
    out.push({ field: "weight_grams", message: `must be at most ${MAX_PARCEL_GRAMS} (150 kg)` });
  }
  const sides = [
    ["length_cm", p.lengthCm],
    ["width_cm", p.widthCm],
    ["height_cm", p.heightCm],
  ] as const;
  for (const [field, value] of sides) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_SIDE_CM) {
      out.push({ field, message: `must be a whole number of centimetres, 0–${MAX_SIDE_CM}` });
    }
  }
  const given = sides.filter(([, v]) => v > 0).length;
  if (out.length === 0 && given > 0 && given < 3) {
    for (const [field, value] of sides) {
      if (value === 0) out.push({ field, message: "give all three dimensions or none" });
    }
  }
  return out;
}
