import { DomainError, errors, type Principal } from "@toko/kit";
import { ratingSummary } from "../domain/rating.ts";
import { checkNewShop, type NewShop } from "../domain/shop.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkId } from "./ids.ts";
import type { ShopRecord, ShopView } from "./model.ts";

/** Delay before the durable timer retries a grant that failed (or has not been confirmed). */
const GRANT_RETRY_MS = 30_000;

/**
 * Opens the caller's shop and grants them `seller`. The shop and a retry timer commit together;
 * the grant is then attempted at once, and the timer retries it if the user service was down.
 */
export async function openShop(deps: CatalogDeps, principal: Principal, input: NewShop): Promise<ShopView> {
  const shop = checkNewShop(input);
  const created = await deps.uow.run(async (tx) => {
    if (await tx.shops.byOwner(principal.subject)) {
      throw errors.conflict("SHOP_ALREADY_OPEN", "you already have a shop");
    }
    const record = await tx.shops.insert({ ...shop, id: deps.newId(), ownerId: principal.subject });
    await tx.timers.sellerGrant(record.id, new Date(deps.clock.now().getTime() + GRANT_RETRY_MS));
    return record;
  });
  // On failure the timer committed with the shop retries; the shop is open either way.
  const granted = await grantSeller(deps, created.id).then(
    () => true,
    () => false,
  );
  return view(deps, { ...created, sellerRoleGranted: granted });
}

/** Grants `seller` to the shop's owner and records it; idempotent (the user service's grant is too). */
export async function grantSeller(deps: CatalogDeps, shopId: string): Promise<void> {
  // Reads the committed row: the timer may fire after a synchronous grant already succeeded.
  const shop = await deps.reads.shopById(shopId);
  if (!shop || shop.sellerRoleGranted) return;
  await deps.roles.grantSeller(shop.ownerId);
  await deps.uow.run((tx) => tx.shops.markSellerGranted(shopId));
}

/** Shop page data by slug or id. */
export async function getShop(deps: CatalogDeps, by: { slug: string; id: string }): Promise<ShopView> {
  if ((by.slug === "") === (by.id === "")) {
    throw errors.invalid("give exactly one of slug and shop_id", [
      { field: "slug", message: "give slug or shop_id" },
    ]);
  }
  const shop =
    by.id !== ""
      ? await deps.reads.shopById(checkId("shop_id", by.id))
      : await deps.reads.shopBySlug(by.slug.toLowerCase());
  if (!shop) throw errors.notFound("shop");
  return view(deps, shop);
}

/** The caller's own shop. */
export async function getMyShop(deps: CatalogDeps, principal: Principal): Promise<ShopView> {
  const shop = await deps.reads.shopByOwner(principal.subject);
  if (!shop) throw new DomainError("not_found", "NO_SHOP", "you have not opened a shop");
  return view(deps, shop);
}

async function view(deps: CatalogDeps, shop: ShopRecord): Promise<ShopView> {
  return {
    ...shop,
    rating: ratingSummary({ sum: shop.ratingSum, count: shop.ratingCount }),
    productCount: await deps.reads.activeProductCount(shop.id),
  };
}
