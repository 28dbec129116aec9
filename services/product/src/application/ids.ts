import { errors } from "@toko/kit";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a well-formed id of a shop, product, variant, schedule or review. */
export function isId(value: string): boolean {
  return UUID.test(value);
}

/** Rejects a malformed id with VALIDATION_FAILED naming the field; returns it lower-cased. */
export function checkId(field: string, value: string): string {
  if (!isId(value))
    throw errors.invalid(`${field} is not a valid id`, [{ field, message: "is not a valid id" }]);
  return value.toLowerCase();
}

/** Category ids are small integers in decimal. */
export function checkCategoryId(field: string, value: string): string {
  if (!/^[1-9]\d{0,8}$/.test(value)) {
    throw errors.invalid(`${field} is not a valid category id`, [
      { field, message: "is not a valid category id" },
    ]);
  }
  return value;
}

/** Page size: 0 means the default 20; at most 100. */
export function pageLimit(limit: number): number {
  if (limit === 0) return 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw errors.invalid("limit must be 1–100", [{ field: "limit", message: "must be 1–100" }]);
  }
  return limit;
}
