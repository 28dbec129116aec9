/** A line's physical facts, per unit. */
export interface ParcelLine {
  quantity: number;
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/** One shop's parcel as declared to a carrier. */
export interface Parcel {
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/**
 * One parcel for a shop's lines: weights add up; units are stacked, so the footprint is the
 * largest length and width and the height is the sum of the units' heights. A line without
 * dimensions adds weight only; with none known the dimensions stay 0 (weight alone counts).
 */
export function parcelOf(lines: readonly ParcelLine[]): Parcel {
  let weightGrams = 0;
  let lengthCm = 0;
  let widthCm = 0;
  let heightCm = 0;
  for (const l of lines) {
    weightGrams += l.weightGrams * l.quantity;
    if (l.lengthCm > 0 && l.widthCm > 0 && l.heightCm > 0) {
      lengthCm = Math.max(lengthCm, l.lengthCm);
      widthCm = Math.max(widthCm, l.widthCm);
      heightCm += l.heightCm * l.quantity;
    }
  }
  // Carriers refuse a zero weight; a line without one still weighs something.
  return { weightGrams: Math.max(1, weightGrams), lengthCm, widthCm, heightCm };
}
