import { errors, type FieldViolation } from "@toko/kit/errors";

/** A new warehouse as the seller describes it. */
export interface WarehouseInput {
  name: string;
  address: string;
  city: string;
  province: string;
  isDefault: boolean;
}

/** Required text fields, trimmed, at most `max` characters. */
export function requireText(values: Record<string, string>, max = 200): FieldViolation[] {
  return Object.entries(values).flatMap(([field, value]) =>
    !value.trim()
      ? [{ field, message: "required" }]
      : value.length > max
        ? [{ field, message: `at most ${max} characters` }]
        : [],
  );
}

/** Validates a warehouse; a shop's first warehouse becomes its default whatever was asked. */
export function checkWarehouse(input: WarehouseInput): WarehouseInput {
  const violations = requireText({
    name: input.name,
    address: input.address,
    city: input.city,
    province: input.province,
  });
  if (violations.length > 0) throw errors.invalid("invalid warehouse", violations);
  return {
    name: input.name.trim(),
    address: input.address.trim(),
    city: input.city.trim(),
    province: input.province.trim(),
    isDefault: input.isDefault,
  };
}

/** A SKU as the catalog spells it: 1–64 visible characters. */
export function checkSku(sku: string, field = "sku"): FieldViolation[] {
  return /^[\x21-\x7e]{1,64}$/.test(sku) ? [] : [{ field, message: "1-64 visible ASCII characters" }];
}
