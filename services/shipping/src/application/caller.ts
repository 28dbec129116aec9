import type { FieldViolation } from "@toko/kit/errors";

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** An opaque id from another service (order, user, shop): 1–128 of A-Z a-z 0-9 . _ : - */
export function referenceViolation(field: string, value: string): FieldViolation | undefined {
  return REFERENCE.test(value)
    ? undefined
    : { field, message: "must be an id of 1–128 letters, digits or . _ : -" };
}
