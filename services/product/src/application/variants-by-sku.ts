import { errors, type Principal, SERVICE_ROLE } from "@toko/kit";
import type { ProductStatus } from "../domain/product.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkId } from "./ids.ts";

/** Most SKUs one call may ask about. */
export const MAX_SKUS_PER_CALL = 500;

/** What a SKU names in its shop. */
export interface SkuMatch {
  requestedSku: string;
  sku: string;
  variantId: string;
  productId: string;
  productStatus: ProductStatus;
  active: boolean;
}

/**
 * Resolves one shop's SKUs to variants (drafts, archived products and retired variants
 * included: a SKU stays taken in its shop), case-insensitively. The shop's owner and internal
 * services may ask; anyone else is FORBIDDEN (shops are public, so an unknown shop is NOT_FOUND).
 */
export async function getVariantsBySku(
  deps: CatalogDeps,
  principal: Principal,
  input: { shopId: string; skus: readonly string[] },
): Promise<{ variants: SkuMatch[]; unknownSkus: string[] }> {
  const shopId = checkId("shop_id", input.shopId);
  if (input.skus.length > MAX_SKUS_PER_CALL) {
    throw errors.invalid(`at most ${MAX_SKUS_PER_CALL} SKUs at once`, [
      { field: "skus", message: `at most ${MAX_SKUS_PER_CALL}` },
    ]);
  }
  const blank = input.skus.findIndex((s) => s.trim() === "");
  if (blank >= 0) throw errors.invalid("a SKU is empty", [{ field: `skus[${blank}]`, message: "is empty" }]);
  const shop = await deps.reads.shopById(shopId);
  if (!shop) throw errors.notFound("shop");
  if (!principal.roles.includes(SERVICE_ROLE) && principal.subject !== shop.ownerId) {
    throw errors.forbidden("only the shop owner can look up its SKUs");
  }
  // Duplicates (ignoring case) are answered once, in the order first asked.
  const asked = new Map<string, string>();
  for (const sku of input.skus) {
    const key = sku.trim().toLowerCase();
    if (!asked.has(key)) asked.set(key, sku);
  }
  const found = new Map(
    (await deps.reads.variantsBySku(shopId, [...asked.keys()])).map((v) => [v.sku.toLowerCase(), v]),
  );
  const variants: SkuMatch[] = [];
  const unknownSkus: string[] = [];
  for (const [key, requestedSku] of asked) {
    const v = found.get(key);
    if (v) variants.push({ requestedSku, ...v });
    else unknownSkus.push(requestedSku);
  }
  return { variants, unknownSkus };
}

export { SERVICE_ROLE };
