import type { FieldViolation } from "@toko/kit/errors";
import { normalisePhone, PHONE_HINT } from "./phone.ts";

/** At most this many addresses per user. */
export const MAX_ADDRESSES = 20;

/** The editable fields of an address-book entry. */
export interface AddressFields {
  label: string;
  recipient: string;
  phone: string;
  street: string;
  district: string;
  city: string;
  province: string;
  postalCode: string;
  latitude: number | null;
  longitude: number | null;
}

const TEXT_LIMITS: ReadonlyArray<[keyof AddressFields, string, number, number]> = [
  ["label", "label", 1, 30],
  ["recipient", "recipient", 1, 100],
  ["street", "street", 5, 200],
  ["district", "district", 2, 100],
  ["city", "city", 2, 100],
  ["province", "province", 2, 100],
];

/**
 * Trims and checks an address; returns the cleaned fields or the violations (field names in the
 * API's snake_case). Phone numbers are stored as +62….
 */
export function checkAddress(input: AddressFields): { fields: AddressFields; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const fields: AddressFields = { ...input };
  for (const [key, field, min, max] of TEXT_LIMITS) {
    const value = String(input[key] ?? "").trim();
    (fields[key] as string) = value;
    const length = [...value].length;
    if (length < min)
      violations.push({ field, message: min === 1 ? "is required" : `must be at least ${min} characters` });
    else if (length > max) violations.push({ field, message: `must be at most ${max} characters` });
  }
  const phone = normalisePhone(input.phone);
  if (phone) fields.phone = phone;
  else violations.push({ field: "phone", message: PHONE_HINT });
  fields.postalCode = input.postalCode.trim();
  if (!/^[1-9]\d{4}$/.test(fields.postalCode)) {
    violations.push({ field: "postal_code", message: "must be a 5-digit Indonesian postal code" });
  }
  const { latitude, longitude } = input;
  if ((latitude === null) !== (longitude === null)) {
    violations.push({ field: latitude === null ? "lat" : "lng", message: "lat and lng are given together" });
  }
  if (latitude !== null && !(Number.isFinite(latitude) && latitude >= -90 && latitude <= 90)) {
    violations.push({ field: "lat", message: "must be between -90 and 90" });
  }
  if (longitude !== null && !(Number.isFinite(longitude) && longitude >= -180 && longitude <= 180)) {
    violations.push({ field: "lng", message: "must be between -180 and 180" });
  }
  return { fields, violations };
}
