import type { FieldViolation } from "@toko/kit/errors";
import { normalisePhone, PHONE_HINT } from "./phone.ts";

/** A display name: trimmed, 1 to 100 characters. Returns the cleaned value or a violation. */
export function checkName(raw: string): { value: string; violation?: FieldViolation } {
  const value = raw.trim().normalize("NFC");
  const length = [...value].length;
  if (length === 0) return { value, violation: { field: "name", message: "is required" } };
  if (length > 100) return { value, violation: { field: "name", message: "must be at most 100 characters" } };
  return { value };
}

/** An optional phone number: empty means none; otherwise an Indonesian number stored as +62…. */
export function checkOptionalPhone(raw: string): { value: string; violation?: FieldViolation } {
  if (raw.trim() === "") return { value: "" };
  const phone = normalisePhone(raw);
  return phone ? { value: phone } : { value: raw, violation: { field: "phone", message: PHONE_HINT } };
}
