import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { checkProductDraft, type ProductDraft } from "./product.ts";

const draft = (over: Partial<ProductDraft> = {}): ProductDraft => ({
  title: "  Kaos   Polos Katun ",
  description: "Bahan adem",
  categoryId: "12",
  condition: "new",
  weightGrams: 200,
  lengthCm: 30,
  widthCm: 20,
  heightCm: 2,
  minOrder: 1,
  images: ["https://img.toko.dev/a.jpg"],
  attributes: [{ name: "Bahan", value: "Katun" }],
  variants: [
    {
      sku: "KAOS-HT-M",
      options: [
        { name: "Warna", value: "Hitam" },
        { name: "Ukuran", value: "M" },
      ],
      price: 59_000,
      currency: "IDR",
    },
    {
      sku: "KAOS-HT-L",
      options: [
        { name: "Warna", value: "Hitam" },
        { name: "Ukuran", value: "L" },
      ],
      price: 62_000,
      currency: "",
    },
  ],
  status: "active",
  ...over,
});

function fields(over: Partial<ProductDraft>): string[] {
  try {
    checkProductDraft(draft(over));
  } catch (e) {
    if (e instanceof DomainError) return e.violations.map((v) => v.field);
    throw e;
  }
  return [];
}

test("a good product passes, normalised", () => {
  assert.equal(checkProductDraft(draft()).title, "Kaos Polos Katun");
});

test("each bad field is named", () => {
  assert.deepEqual(fields({ title: "ab" }), ["title"]);
  assert.deepEqual(fields({ description: "x".repeat(5_001) }), ["description"]);
  assert.deepEqual(fields({ weightGrams: 0 }), ["weight_grams"]);
  assert.deepEqual(fields({ minOrder: 0 }), ["min_order"]);
  assert.deepEqual(fields({ condition: null }), ["condition"]);
  assert.deepEqual(fields({ images: ["javascript:alert(1)"] }), ["images[0]"]);
  assert.deepEqual(fields({ variants: [] }), ["variants"]);
  assert.deepEqual(fields({ status: "archived" }), ["status"]);
});

test("variant prices must be positive whole rupiah in IDR", () => {
  const v = draft().variants;
  assert.deepEqual(fields({ variants: [{ ...v[0]!, price: -1 }, v[1]!] }), ["variants[0].price"]);
  assert.deepEqual(fields({ variants: [{ ...v[0]!, price: 1.5 }, v[1]!] }), ["variants[0].price"]);
  assert.deepEqual(fields({ variants: [{ ...v[0]!, currency: "USD" }, v[1]!] }), ["variants[0].price"]);
});

test("SKUs unique within the product; options consistent and distinct", () => {
  const v = draft().variants;
  assert.deepEqual(fields({ variants: [v[0]!, { ...v[1]!, sku: "kaos-ht-m" }] }), ["variants[1].sku"]);
  assert.deepEqual(fields({ variants: [v[0]!, { ...v[1]!, sku: "bad sku" }] }), ["variants[1].sku"]);
  assert.deepEqual(fields({ variants: [v[0]!, { ...v[1]!, options: v[0]!.options }] }), [
    "variants[1].options",
  ]);
  assert.deepEqual(
    fields({ variants: [v[0]!, { ...v[1]!, options: [{ name: "Warna", value: "Putih" }] }] }),
    ["variants[1].options"],
  );
});
