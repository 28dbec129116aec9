import type { FieldViolation } from "@toko/kit/errors";
import type { AddressRecord } from "./model.ts";

const LIMITS: [keyof AddressRecord, number, boolean][] = [
  ["recipient", 100, true],
  ["phone", 30, true],
  ["street", 300, true],
  ["district", 100, false],
  ["province", 100, false],
  ["postalCode", 10, false],
];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** What is wrong with an address (its city is checked against the table separately). */
export function addressViolations(prefix: string, a: AddressRecord): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const [key, max, required] of LIMITS) {
    const value = String(a[key] ?? "");
    const field = `${prefix}.${snake(key)}`;
    if (required && value.trim() === "") out.push({ field, message: "is required" });
    else if (value.length > max) out.push({ field, message: `must be at most ${max} characters` });
  }
  for (const [key, min, max] of [
    ["latitude", -90, 90],
    ["longitude", -180, 180],
  ] as const) {
    const v = a[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= min && v <= max)) {
      out.push({ field: `${prefix}.${key}`, message: `must be between ${min} and ${max}` });
    }
  }
  return out;
}
