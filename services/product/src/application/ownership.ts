import { errors, type Principal, requireActingAs } from "@toko/kit";
import type { ProductRecord } from "./model.ts";
import type { CatalogTx } from "./ports.ts";

/**
 * Loads and locks a product the caller must own, acting as a seller (role and scope). Someone
 * else's draft is NOT_FOUND (its existence is private); someone else's visible product is FORBIDDEN.
 */
export async function loadOwned(
  tx: CatalogTx,
  principal: Principal,
  productId: string,
): Promise<ProductRecord> {
  requireActingAs(principal, "seller");
  const product = await tx.products.lock(productId);
  if (!product) throw errors.notFound("product");
  if (product.shop.ownerId !== principal.subject) {
    if (product.status === "draft") throw errors.notFound("product");
    throw errors.forbidden("only the shop owner can manage this product");
  }
  return product;
}
