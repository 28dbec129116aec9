import { errors, type FieldViolation } from "@toko/kit/errors";

/** What a user gives to open a shop. */
export interface NewShop {
  name: string;
  slug: string;
  city: string;
  province: string;
  description: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
// Slugs that would shadow pages of the storefront.
const RESERVED = new Set(["admin", "api", "seller", "toko", "help", "login", "cart", "checkout", "search"]);

/** Validates and normalises a new shop (trimmed text, lower-case slug). */
export function checkNewShop(input: NewShop): NewShop {
  const shop = {
    name: input.name.trim(),
    slug: input.slug.trim().toLowerCase(),
    city: input.city.trim(),
    province: input.province.trim(),
    description: input.description.trim(),
  };
  const violations: FieldViolation[] = [];
  if (shop.name.length < 3 || shop.name.length > 60)
    violations.push({ field: "name", message: "must be 3–60 characters" });
  if (!SLUG.test(shop.slug) || shop.slug.includes("--")) {
    violations.push({
      field: "slug",
      message:
        "must be 3–40 lower-case letters, digits and single hyphens, starting and ending with a letter or digit",
    });
  } else if (RESERVED.has(shop.slug)) violations.push({ field: "slug", message: "is reserved" });
  if (shop.city.length < 2 || shop.city.length > 80)
    violations.push({ field: "city", message: "must be 2–80 characters" });
  if (shop.province.length < 2 || shop.province.length > 80) {
    violations.push({ field: "province", message: "must be 2–80 characters" });
  }
  if (shop.description.length > 2_000)
    violations.push({ field: "description", message: "must be at most 2000 characters" });
  if (violations.length > 0) throw errors.invalid("the shop is invalid", violations);
  return shop;
}
