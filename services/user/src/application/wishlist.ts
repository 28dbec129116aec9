import { errors, type Principal, transaction } from "@toko/kit";
import { requireUserId } from "./caller.ts";
import type { UserDeps } from "./deps.ts";

export interface WishlistItemView {
  productId: string;
  addedAt: Date;
}

const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function checkProductId(productId: string): void {
  if (!PRODUCT_ID.test(productId)) {
    throw errors.invalid("invalid product id", [
      { field: "product_id", message: "must be 1-64 letters, digits, '-' or '_'" },
    ]);
  }
}

// The cursor is the last item's position in newest-first order: added_at (ms) and product id.
function encodeCursor(item: WishlistItemView): string {
  return Buffer.from(JSON.stringify([item.addedAt.getTime(), item.productId])).toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; productId: string } {
  try {
    const [at, productId] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "number" && Number.isFinite(at) && typeof productId === "string") {
      return { at: new Date(at), productId };
    }
  } catch {
    // fall through to the error below
  }
  throw errors.invalid("invalid cursor", [
    { field: "cursor", message: "is not a cursor from a previous page" },
  ]);
}

/** The caller's wishlist of product ids. */
export class Wishlist {
  constructor(private readonly deps: UserDeps) {}

  /** Newest first, `limit` at a time (default 20, at most 100). */
  async list(
    principal: Principal | undefined,
    page: { limit: number; cursor: string },
  ): Promise<{ items: WishlistItemView[]; nextCursor: string }> {
    const userId = requireUserId(principal);
    if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > MAX_LIMIT) {
      throw errors.invalid("invalid page size", [
        { field: "limit", message: `must be between 1 and ${MAX_LIMIT}` },
      ]);
    }
    const limit = page.limit === 0 ? DEFAULT_LIMIT : page.limit;
    let query = this.deps.db
      .selectFrom("wishlist_items")
      .select(["product_id", "added_at"])
      .where("user_id", "=", userId)
      .orderBy("added_at", "desc")
      .orderBy("product_id", "desc")
      .limit(limit + 1);
    if (page.cursor !== "") {
      const after = decodeCursor(page.cursor);
      query = query.where((eb) =>
        eb.or([
          eb("added_at", "<", after.at),
          eb.and([eb("added_at", "=", after.at), eb("product_id", "<", after.productId)]),
        ]),
      );
    }
    const rows = await query.execute();
    const items = rows.slice(0, limit).map((r) => ({ productId: r.product_id, addedAt: r.added_at }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : "" };
  }

  /** Adds a product (idempotent: adding it again keeps the original time). */
  async add(principal: Principal | undefined, productId: string): Promise<WishlistItemView> {
    const userId = requireUserId(principal);
    checkProductId(productId);
    const { maxWishlistItems } = this.deps.settings;
    return transaction(this.deps.db, async (trx) => {
      const user = await trx
        .selectFrom("users")
        .select("id")
        .where("id", "=", userId)
        .forUpdate()
        .executeTakeFirst();
      if (!user) throw errors.notFound("user");
      const existing = await trx
        .selectFrom("wishlist_items")
        .select(["product_id", "added_at"])
        .where("user_id", "=", userId)
        .where("product_id", "=", productId)
        .executeTakeFirst();
      if (existing) return { productId: existing.product_id, addedAt: existing.added_at };
      const { count } = await trx
        .selectFrom("wishlist_items")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= maxWishlistItems) {
        throw errors.precondition("WISHLIST_FULL", `a wishlist holds at most ${maxWishlistItems} products`);
      }
      const addedAt = this.deps.clock();
      await trx
        .insertInto("wishlist_items")
        .values({ user_id: userId, product_id: productId, added_at: addedAt })
        .execute();
      return { productId, addedAt };
    });
  }

  /** Removes a product; false when it was not there. */
  async remove(principal: Principal | undefined, productId: string): Promise<boolean> {
    const userId = requireUserId(principal);
    checkProductId(productId);
    const result = await this.deps.db
      .deleteFrom("wishlist_items")
      .where("user_id", "=", userId)
      .where("product_id", "=", productId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
