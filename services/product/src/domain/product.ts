import { errors, type FieldViolation } from "@toko/kit/errors";
import { priceViolation } from "./pricing.ts";

export type Condition = "new" | "used";
export type ProductStatus = "draft" | "active" | "archived";

export interface Option {
  name: string;
  value: string;
}

export interface VariantDraft {
  sku: string;
  options: Option[];
  price: number;
  currency: string;
}

/** Everything a seller sets on a product; validated by `checkProductDraft`. */
export interface ProductDraft {
  title: string;
  description: string;
  categoryId: string;
  condition: Condition | null;
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  minOrder: number;
  images: string[];
  attributes: Option[];
  variants: VariantDraft[];
  status: ProductStatus;
}

export const LIMITS = {
  titleMin: 3,
  titleMax: 200,
  descriptionMax: 5_000,
  weightMaxGrams: 500_000,
  dimensionMaxCm: 1_000,
  minOrderMax: 1_000,
  images: 10,
  imageUrl: 2_048,
  attributes: 30,
  variants: 100,
  optionNames: 3,
} as const;

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function intIn(violations: FieldViolation[], field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    violations.push({ field, message: `must be a whole number from ${min} to ${max}` });
  }
}

function checkText(
  violations: FieldViolation[],
  field: string,
  value: string,
  min: number,
  max: number,
): void {
  if (value.length < min || value.length > max)
    violations.push({ field, message: `must be ${min}–${max} characters` });
}

function checkVariants(violations: FieldViolation[], variants: VariantDraft[]): void {
  if (variants.length < 1 || variants.length > LIMITS.variants) {
    violations.push({ field: "variants", message: `must have 1–${LIMITS.variants} variants` });
    return;
  }
  const skus = new Set<string>();
  const combos = new Set<string>();
  const optionNames = variants[0]?.options.map((o) => o.name).join("\u0000");
  variants.forEach((v, i) => {
    const at = `variants[${i}]`;
    if (!SKU.test(v.sku))
      violations.push({ field: `${at}.sku`, message: "must be 1–64 letters, digits, '.', '_' or '-'" });
    else if (skus.has(v.sku.toLowerCase())) violations.push({ field: `${at}.sku`, message: "is repeated" });
    skus.add(v.sku.toLowerCase());
    const price = priceViolation(`${at}.price`, v.price, v.currency);
    if (price) violations.push(price);
    if (v.options.length > LIMITS.optionNames) {
      violations.push({ field: `${at}.options`, message: `at most ${LIMITS.optionNames} options` });
    }
    for (const o of v.options) {
      if (o.name.length < 1 || o.name.length > 30 || o.value.length < 1 || o.value.length > 50) {
        violations.push({
          field: `${at}.options`,
          message: "option names are 1–30 and values 1–50 characters",
        });
        break;
      }
    }
    if (v.options.map((o) => o.name).join("\u0000") !== optionNames) {
      violations.push({ field: `${at}.options`, message: "every variant must have the same option names" });
    }
    const combo = v.options.map((o) => o.value.toLowerCase()).join("\u0000");
    if (combos.has(combo))
      violations.push({ field: `${at}.options`, message: "repeats another variant's options" });
    combos.add(combo);
  });
  if (variants.length > 1 && optionNames === "") {
    violations.push({ field: "variants", message: "several variants need options that tell them apart" });
  }
}

/** Validates and normalises a product; throws VALIDATION_FAILED listing every bad field. */
export function checkProductDraft(input: ProductDraft): ProductDraft {
  const d: ProductDraft = {
    ...input,
    title: input.title.trim().replace(/\s+/g, " "),
    description: input.description.trim(),
    images: input.images.map((i) => i.trim()),
    attributes: input.attributes.map((a) => ({ name: a.name.trim(), value: a.value.trim() })),
    variants: input.variants.map((v) => ({
      ...v,
      sku: v.sku.trim(),
      options: v.options.map((o) => ({ name: o.name.trim(), value: o.value.trim() })),
    })),
  };
  const violations: FieldViolation[] = [];
  checkText(violations, "title", d.title, LIMITS.titleMin, LIMITS.titleMax);
  checkText(violations, "description", d.description, 0, LIMITS.descriptionMax);
  if (d.categoryId === "") violations.push({ field: "category_id", message: "is required" });
  if (d.condition === null) violations.push({ field: "condition", message: "must be new or used" });
  intIn(violations, "weight_grams", d.weightGrams, 1, LIMITS.weightMaxGrams);
  intIn(violations, "length_cm", d.lengthCm, 0, LIMITS.dimensionMaxCm);
  intIn(violations, "width_cm", d.widthCm, 0, LIMITS.dimensionMaxCm);
  intIn(violations, "height_cm", d.heightCm, 0, LIMITS.dimensionMaxCm);
  intIn(violations, "min_order", d.minOrder, 1, LIMITS.minOrderMax);
  if (d.images.length > LIMITS.images)
    violations.push({ field: "images", message: `at most ${LIMITS.images} images` });
  d.images.forEach((url, i) => {
    if (url.length > LIMITS.imageUrl || !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(url)) {
      violations.push({ field: `images[${i}]`, message: "must be an http(s) URL" });
    }
  });
  if (d.attributes.length > LIMITS.attributes) {
    violations.push({ field: "attributes", message: `at most ${LIMITS.attributes} attributes` });
  }
  d.attributes.forEach((a, i) => {
    if (a.name.length < 1 || a.name.length > 50 || a.value.length < 1 || a.value.length > 200) {
      violations.push({ field: `attributes[${i}]`, message: "names are 1–50 and values 1–200 characters" });
    }
  });
  checkVariants(violations, d.variants);
  if (d.status === "archived") violations.push({ field: "status", message: "must be draft or active" });
  if (violations.length > 0) throw errors.invalid("the product is invalid", violations);
  return d;
}

/** Archived products are read-only: they may be read and ordered history points at them. */
export function assertEditable(status: ProductStatus): void {
  if (status === "archived")
    throw errors.precondition("PRODUCT_ARCHIVED", "an archived product cannot be changed");
}

/** "Hitam / XL": a variant's options as shoppers read them. */
export function variantLabel(options: readonly Option[]): string {
  return options.map((o) => o.value).join(" / ");
}
