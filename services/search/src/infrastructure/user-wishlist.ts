import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, type Logger } from "@toko/kit";
import type { Wishlists } from "../application/ports.ts";

/** Wishlist items read as seeds of personal recommendations (the newest first). */
const WISHLIST_SEEDS = 50;

/**
 * The calling user's wishlist through UserService.ListWishlist, which answers for the caller:
 * the principal of the call being served travels with it. Recommendations still answer when the
 * user service does not (purchases alone, or best sellers), so a failure reads as empty.
 */
export function userWishlists(
  address: string,
  internalSecret: string | undefined,
  logger: Logger,
): Wishlists & { close(): void } {
  const client = createClient(UserServiceClient, address, {
    internalSecret,
    deadlineMs: 1_000,
    idempotent: ["listWishlist"],
  });
  return {
    async productIds() {
      try {
        const res = await client.listWishlist({ page: { limit: WISHLIST_SEEDS, cursor: "" } });
        return res.items.map((i) => i.productId);
      } catch (error) {
        logger.warn({ err: error }, "wishlist unavailable; recommending without it");
        return [];
      }
    },
    close: () => client.close(),
  };
}
