import type { Shop } from "../lib/api-types.ts";
import { readIds, trackDrafts } from "../lib/product-edit.ts";

const key = (shop: Pick<Shop, "id">) => `toko.drafts.${shop.id}`;

/** The shop's draft product ids this browser knows of (the catalog lists only active products). */
export function keptDrafts(shop: Pick<Shop, "id">): string[] {
  return readIds(localStorage.getItem(key(shop)));
}

/** Records a product's status: drafts are kept, any other status forgets it. */
export function noteStatus(shop: Pick<Shop, "id">, id: string, status: string): void {
  const before = keptDrafts(shop);
  const after = trackDrafts(before, id, status);
  if (after.join() !== before.join()) localStorage.setItem(key(shop), JSON.stringify(after));
}
