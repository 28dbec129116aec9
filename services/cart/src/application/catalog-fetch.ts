import { errors } from "@toko/kit/errors";
import type { CartDeps } from "./ports.ts";

/**
 * Brings variants into the local projection from the product service (with their shops when
 * not known yet). Runs outside any transaction: it makes remote calls. Returns the ids the
 * catalog does not know.
 */
export async function fetchVariants(deps: CartDeps, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const variants = await deps.catalog.variants(ids);
  const shopIds = [...new Set(variants.map((v) => v.shopId))];
  const now = deps.clock.now();
  const missingShops = await deps.uow.run(async (tx) => {
    const out: string[] = [];
    for (const id of shopIds) if (!(await tx.catalog.hasShop(id))) out.push(id);
    return out;
  });
  // Stock as inventory reports it now, so a new line's stock status is known before inventory's
  // next StockChanged for the SKU; taken before asking, so any later event counts as newer.
  const stockAt = deps.clock.now();
  const [shops, stock] = await Promise.all([
    Promise.all(missingShops.map((id) => deps.catalog.shop(id))),
    deps.stock.availability(variants.map((v) => ({ shopId: v.shopId, sku: v.sku }))),
  ]);
  await deps.uow.run(async (tx) => {
    for (const shop of shops) if (shop) await tx.catalog.saveShop(shop, now);
    await tx.catalog.saveVariants(
      variants.filter((v) => !missingShops.includes(v.shopId) || shops.some((s) => s?.shopId === v.shopId)),
      now,
    );
    await tx.catalog.recordAvailability(stock ?? [], stockAt);
  });
  const known = new Set(variants.map((v) => v.variantId));
  return ids.filter((id) => !known.has(id));
}

/** As `fetchVariants` for one variant; NOT_FOUND when the catalog does not know it. */
export async function fetchVariant(deps: CartDeps, id: string): Promise<void> {
  const missing = await fetchVariants(deps, [id]);
  if (missing.length > 0) throw errors.notFound("variant");
}
