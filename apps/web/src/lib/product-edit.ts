import type { Category, Product } from "./api-types.ts";
import { parseRupiah } from "./money.ts";

/** The product's own fields as the edit form holds them (text, as typed). */
export interface DetailsDraft {
  title: string;
  description: string;
  category_id: string;
  condition: string;
  weight_grams: string;
  /** One image URL per line. */
  images: string;
}

export interface OptionPair {
  name: string;
  value: string;
}

/** One variant row of the edit form: an existing variant (with its id) or a new one. */
export interface VariantRow {
  /** Stable React key: the variant id, or `new-n`. */
  key: string;
  existing: boolean;
  sku: string;
  options: OptionPair[];
  price: string;
  /** False when the seller deactivates it: it is left out of the saved list (the API retires it). */
  active: boolean;
}

/** What can be wrong with the variant rows before anything is sent. */
export type VariantProblem =
  | { kind: "noActive" }
  | { kind: "skuMissing"; row: number }
  | { kind: "skuRepeated"; sku: string }
  | { kind: "badPrice"; sku: string; row: number }
  | { kind: "optionIncomplete"; row: number };

export function detailsOf(p: Product): DetailsDraft {
  return {
    title: p.title,
    description: p.description,
    category_id: p.category_id,
    condition: p.condition,
    weight_grams: String(p.weight_grams),
    images: p.images.join("\n"),
  };
}

/** The image URLs of the text area: one per line, blank lines dropped. */
export function imagesFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * The PATCH body for the details that changed (titles and descriptions trimmed); an empty object
 * when nothing did. A weight that is not a whole number is sent as typed (NaN → the API's 422
 * names the field) only when it changed.
 */
export function detailsPatch(p: Product, d: DetailsDraft): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const title = d.title.trim();
  const description = d.description.trim();
  if (title !== p.title) patch.title = title;
  if (description !== p.description) patch.description = description;
  if (d.category_id !== p.category_id) patch.category_id = d.category_id;
  if (d.condition !== p.condition) patch.condition = d.condition;
  const weight = Number(d.weight_grams.trim());
  if (d.weight_grams.trim() !== String(p.weight_grams))
    patch.weight_grams = Number.isInteger(weight) ? weight : -1;
  const images = imagesFromText(d.images);
  if (images.join("\n") !== p.images.join("\n")) patch.images = images;
  return patch;
}

/** The product's variants as rows; option pairs keep the API's order. */
export function rowsOf(p: Product): VariantRow[] {
  return p.variants.map((v) => ({
    key: v.id,
    existing: true,
    sku: v.sku,
    options: Object.entries(v.options).map(([name, value]) => ({ name, value })),
    price: String((v.base_price ?? v.price).amount),
    active: true,
  }));
}

/** A new row with the option names the other rows use (values to fill in), or one empty pair. */
export function newRow(rows: readonly VariantRow[], n: number): VariantRow {
  const names = rows[0]?.options.map((o) => o.name).filter((name) => name.trim() !== "") ?? [];
  return {
    key: `new-${n}`,
    existing: false,
    sku: "",
    options: names.length > 0 ? names.map((name) => ({ name, value: "" })) : [{ name: "", value: "" }],
    price: "",
    active: true,
  };
}

/**
 * The `variants` list for PATCH: every active row (matched by SKU on the server, so an existing
 * one keeps its id; a row left out is retired). Problems that would only bounce off the API are
 * caught here, in the seller's words.
 */
export function variantsPayload(rows: readonly VariantRow[]):
  | {
      ok: true;
      variants: {
        sku: string;
        options: Record<string, string>;
        price: { amount: number; currency: "IDR" };
      }[];
    }
  | { ok: false; problems: VariantProblem[] } {
  const problems: VariantProblem[] = [];
  const active = rows.filter((r) => r.active);
  if (active.length === 0) problems.push({ kind: "noActive" });
  const seen = new Set<string>();
  const variants = active.map((r) => {
    const row = rows.indexOf(r) + 1;
    const sku = r.sku.trim();
    if (sku === "") problems.push({ kind: "skuMissing", row });
    else if (seen.has(sku.toLowerCase())) problems.push({ kind: "skuRepeated", sku });
    seen.add(sku.toLowerCase());
    const amount = parseRupiah(r.price);
    if (amount === undefined || amount <= 0)
      problems.push({ kind: "badPrice", sku: sku || String(row), row });
    const options: Record<string, string> = {};
    for (const o of r.options) {
      const name = o.name.trim();
      const value = o.value.trim();
      if (name === "" && value === "") continue;
      if (name === "" || value === "") problems.push({ kind: "optionIncomplete", row });
      else options[name] = value;
    }
    return { sku, options, price: { amount: amount ?? 0, currency: "IDR" as const } };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, variants };
}

export interface Schedule {
  id: string;
  sku: string;
  price: { amount: number; currency: string } | null;
  percent_off: number | null;
  starts_at: string;
  ends_at: string | null;
}

/** Whether a schedule lies ahead, is setting the price now, or is over. */
export function scheduleState(
  s: Pick<Schedule, "starts_at" | "ends_at">,
  now: Date,
): "upcoming" | "running" | "ended" {
  if (new Date(s.starts_at).getTime() > now.getTime()) return "upcoming";
  if (s.ends_at && new Date(s.ends_at).getTime() <= now.getTime()) return "ended";
  return "running";
}

/** A `datetime-local` input's value (local time, no zone) as an RFC 3339 instant; undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (value.trim() === "") return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The categories a product can be filed under (the leaves), named with their path: `Fashion › Tas`. */
export function categoryLeaves(
  items: readonly Category[],
  trail: string[] = [],
): { id: string; name: string }[] {
  return items.flatMap((c) =>
    c.children.length === 0
      ? [{ id: c.id, name: [...trail, c.name].join(" › ") }]
      : categoryLeaves(c.children, [...trail, c.name]),
  );
}

/**
 * The shop's drafts, kept by id in the browser because the catalog lists only active products:
 * a product saved as a draft is added (newest first), one in any other status removed.
 */
export function trackDrafts(kept: readonly string[], id: string, status: string): string[] {
  const others = kept.filter((k) => k !== id);
  return status === "draft" ? [id, ...others] : others;
}

/** Parses kept ids; anything unreadable is an empty list. */
export function readIds(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
