import type { CatalogShop, CatalogVariant } from "./model.ts";
import type { CatalogWrites } from "./ports.ts";

/** A product's new state from a ProductUpdated event: its product fields and active variants. */
export interface ProductState {
  productId: string;
  status: string;
  shop: CatalogShop | null;
  variants: CatalogVariant[];
}

/**
 * Refreshes the projected variants of an updated product (others are fetched when first
 * added): details and prices of the listed variants, the rest retired; the shop's details
 * when the event carries them.
 */
export async function productUpdated(catalog: CatalogWrites, state: ProductState, now: Date): Promise<void> {
  const known = new Set(await catalog.knownVariantIds(state.productId));
  if (known.size === 0) return;
  await catalog.saveVariants(
    state.variants.filter((v) => known.has(v.variantId)),
    now,
  );
  await catalog.retireOthers(
    state.productId,
    state.variants.map((v) => v.variantId),
    now,
  );
  await catalog.setProductStatus(state.productId, state.status, now);
  if (state.shop && state.shop.city !== "") await catalog.saveShop(state.shop, now);
}
