import type { ProductDoc } from "../src/application/model.ts";
import type { SearchInput } from "../src/domain/query.ts";

// Product states as the catalog reports them, for tests that write the projection directly.

export const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
export const FASHION = { id: "c-fashion", name: "Fashion Pria" };
export const RUNNING = [FASHION, { id: "c-shoes", name: "Sepatu" }, { id: "c-running", name: "Sepatu Lari" }];
export const BAGS = { categoryId: "c-bags", categoryPath: [FASHION, { id: "c-bags", name: "Tas Pria" }] };

export function doc(id: string, over: Partial<ProductDoc> = {}): ProductDoc {
  return {
    productId: id,
    shopId: "shop-1",
    shopName: "Toko Sinar Jaya",
    shopSlug: "toko-sinar-jaya",
    city: "Bandung",
    title: `Sepatu Running ${id}`,
    description: "Sepatunya ringan, solnya empuk untuk lari pagi.",
    attributeValues: ["Ortuseight"],
    categoryId: "c-running",
    categoryPath: RUNNING,
    imageUrl: `https://img.example/${id}.jpg`,
    status: "active",
    ratingAverage: 4.5,
    ratingCount: 10,
    soldCount: 5,
    createdAt: at(0),
    updatedAt: at(1),
    variants: [
      { variantId: `${id}-a`, sku: `SKU-${id.toUpperCase()}-A`, price: 250_000, stockStatus: "in_stock" },
    ],
    ...over,
  };
}

export const variant = (variantId: string, price: number, stockStatus = "in_stock") => ({
  variantId,
  sku: `SKU-${variantId.toUpperCase()}`,
  price,
  stockStatus,
});

/** A search request with every field at its default, then `over`. */
export const searchInput = (over: Partial<SearchInput>): SearchInput => ({
  query: "",
  categoryId: "",
  minPrice: undefined,
  maxPrice: undefined,
  minRating: 0,
  city: "",
  inStock: false,
  sort: "relevance",
  limit: 0,
  cursor: "",
  ...over,
});
