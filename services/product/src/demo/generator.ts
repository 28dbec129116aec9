import { uuidv7 } from "@toko/kit";
import { CITIES, SHOP_WORDS, TEMPLATES, type Template } from "./demo-data.ts";

/** mulberry32: a tiny seeded PRNG, so the same seed always yields the same marketplace. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoShop {
  id: string;
  ownerId: string;
  slug: string;
  name: string;
  city: string;
  province: string;
  description: string;
}

export interface DemoVariant {
  id: string;
  sku: string;
  options: { name: string; value: string }[];
  price: number;
  position: number;
}

export interface DemoProduct {
  id: string;
  shopId: string;
  categorySlug: string;
  title: string;
  description: string;
  condition: "new" | "used";
  weightGrams: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  minOrder: number;
  images: string[];
  attributes: { name: string; value: string }[];
  variants: DemoVariant[];
}

/** Rounds a rupiah amount to the "psychological" prices shops use (…900 / …500 / thousands). */
export function shopPrice(raw: number): number {
  if (raw < 100_000) return Math.max(1_000, Math.round(raw / 500) * 500);
  if (raw < 1_000_000) return Math.round(raw / 1_000) * 1_000 - 100;
  return Math.round(raw / 50_000) * 50_000 - 1_000;
}

/**
 * A deterministic demo marketplace: `shopCount` shops across Indonesian cities and
 * `productCount` products with variants, realistic rupiah prices and weights. Ids are UUIDv7
 * with a fixed clock per index, so they are stable across runs too.
 */
export function* generateDemo(options: {
  seed: number;
  shopCount: number;
  productCount: number;
}): Generator<{ kind: "shop"; shop: DemoShop } | { kind: "product"; product: DemoProduct }> {
  const rand = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const base = Date.parse("2024-01-01T00:00:00Z");
  const idAt = (n: number) => stableId(base + n, rand);
  const shops: DemoShop[] = [];
  for (let i = 0; i < options.shopCount; i++) {
    const [city, province] = pick(CITIES);
    const name = `${pick(SHOP_WORDS.first)} ${pick(SHOP_WORDS.second)} ${city.split(" ")[0]}`;
    const shop: DemoShop = {
      id: idAt(i),
      ownerId: `demo-seller-${i + 1}`,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${i + 1}`,
      name,
      city,
      province,
      description: `Toko terpercaya di ${city}. Pengiriman setiap hari kerja.`,
    };
    shops.push(shop);
    yield { kind: "shop", shop };
  }
  for (let i = 0; i < options.productCount; i++) {
    const t: Template = pick(TEMPLATES);
    const shop = pick(shops);
    const brand = pick(t.brands);
    const title = `${t.nouns.length > 0 ? pick(t.nouns) : ""} ${brand}`.replace(/\s+/g, " ").trim();
    const basePrice = shopPrice(between(t.price[0], t.price[1]));
    const option = t.options && rand() < 0.8 ? t.options.slice(0, between(1, t.options.length)) : [];
    const combos = combinations(
      option.map((o) => ({
        name: o.name,
        values: o.values.slice(0, between(2, Math.min(4, o.values.length))),
      })),
    );
    const id = idAt(options.shopCount + i);
    const skuBase = `${t.leaf.slice(0, 4).toUpperCase()}-${(i + 1).toString(36).toUpperCase()}`;
    yield {
      kind: "product",
      product: {
        id,
        shopId: shop.id,
        categorySlug: t.leaf,
        title: title.length >= 3 ? title : `${title} Original`,
        description: `${title} — barang ${rand() < 0.9 ? "baru" : "bekas"}, dikirim dari ${shop.city}. Garansi toko 7 hari.`,
        condition: rand() < 0.92 ? "new" : "used",
        weightGrams: between(t.weight[0], t.weight[1]),
        lengthCm: between(5, 40),
        widthCm: between(5, 30),
        heightCm: between(1, 20),
        minOrder: rand() < 0.9 ? 1 : between(2, 5),
        images: [`https://img.toko.dev/demo/${t.leaf}/${(i % 20) + 1}.jpg`],
        attributes: brand ? [{ name: "Merek", value: brand }] : [],
        variants: combos.slice(0, 12).map((opts, position) => ({
          id: stableId(base + options.shopCount + options.productCount + i * 16 + position, rand),
          sku: combos.length > 1 ? `${skuBase}-${position + 1}` : skuBase,
          options: opts,
          // Bigger sizes and memory cost a little more.
          price: shopPrice(basePrice * (1 + position * 0.04)),
          position,
        })),
      },
    };
  }
}

function combinations(options: { name: string; values: string[] }[]): { name: string; value: string }[][] {
  let out: { name: string; value: string }[][] = [[]];
  for (const o of options)
    out = out.flatMap((combo) => o.values.map((value) => [...combo, { name: o.name, value }]));
  return out;
}

function stableId(ms: number, rand: () => number): string {
  const id = uuidv7(ms);
  // Replace uuidv7's crypto randomness with the seeded stream: the same seed, the same ids.
  const hex = Array.from({ length: 20 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${id.slice(0, 14)}7${hex.slice(0, 3)}-${((Number.parseInt(hex[3] ?? "0", 16) & 0x3) | 0x8).toString(16)}${hex.slice(4, 7)}-${hex.slice(7, 19)}`;
}

/** The id of the first shop `generateDemo` makes with `seed` (the same for any shop count). */
export function firstDemoShopId(seed: number): string {
  const first = generateDemo({ seed, shopCount: 1, productCount: 0 }).next();
  if (first.done || first.value.kind !== "shop") throw new Error("the demo generator made no shop");
  return first.value.shop.id;
}
