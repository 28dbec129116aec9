import { DomainError, errors } from "@toko/kit/errors";
import { checkLineQuantity, mergedQuantity } from "../domain/cart-line.ts";
import { hashCartToken, isCartToken, newCartToken } from "./cart-tokens.ts";
import { type CartView, emptyView, viewOf } from "./cart-view.ts";
import { fetchVariant } from "./catalog-fetch.ts";
import { type CartOwner, type CartSnapshot, factsOf, type LineSnapshot } from "./model.ts";
import type { CartDeps, CartKey, CartTx } from "./ports.ts";

/** Thrown inside a transaction when a variant is not projected yet: fetch it, then retry. */
class VariantNotProjected extends Error {}

const tokenNotFound = () => errors.notFound("cart");

/** The lookup key of an owner's cart; a token of the wrong shape names no cart. */
export function cartKeyOf(owner: CartOwner): CartKey {
  if (owner.kind === "user") return { ownerId: owner.userId };
  if (!isCartToken(owner.token)) throw tokenNotFound();
  return { tokenHash: hashCartToken(owner.token) };
}

/** The cart view for a key (an owner's missing cart is empty; a guest's unknown token is NOT_FOUND). */
export async function readCart(deps: CartDeps, owner: CartOwner): Promise<CartView> {
  const now = deps.clock.now();
  const key = cartKeyOf(owner);
  if (deps.views.has(key)) {
    // A cart priced lately: one row tells whether it still holds.
    const versions = await deps.reads.versions(key);
    const kept = versions && deps.views.get(key, versions);
    if (kept) return kept;
  }
  const snapshot = await deps.reads.snapshot(key, now);
  if (!snapshot) {
    if (owner.kind === "guest") throw tokenNotFound();
    return emptyView();
  }
  const view = viewOf(snapshot, {
    lineMax: deps.settings.maxLineQuantity,
    serviceFee: deps.settings.serviceFee,
    now,
  });
  deps.views.put(key, snapshot, view);
  return view;
}

/** Opens the caller's cart for writing (locked); a guest's unknown token is NOT_FOUND. */
async function openCart(deps: CartDeps, tx: CartTx, owner: CartOwner, now: Date): Promise<string> {
  if (owner.kind === "user") return tx.carts.openForOwner(owner.userId, deps.newId(), now);
  const key = cartKeyOf(owner);
  const id = "tokenHash" in key ? await tx.carts.openByToken(key.tokenHash, now) : null;
  if (!id) throw tokenNotFound();
  return id;
}

/** Runs a write on a variant's line; fetches the variant once when it is not projected yet. */
async function withVariant<T>(deps: CartDeps, variantId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof VariantNotProjected)) throw error;
    await fetchVariant(deps, variantId);
    return fn();
  }
}

function checkVariantId(variantId: string): void {
  if (variantId.length === 0 || variantId.length > 100) throw errors.notFound("variant");
}

/** Optimistic tries of an add against concurrent writes to the same cart before locking it instead. */
const OPTIMISTIC_TRIES = 3;

/**
 * Adds units of a variant to the caller's cart (a guest without a token gets a new cart and its
 * token). The line's new quantity must satisfy the line rules; a refusal changes nothing.
 */
export async function addItem(
  deps: CartDeps,
  owner: CartOwner | { kind: "new-guest" },
  variantId: string,
  quantity: number,
): Promise<{ view: CartView; token: string | null }> {
  checkVariantId(variantId);
  if (!Number.isInteger(quantity) || quantity < 1)
    throw errors.invalid("invalid quantity", [{ field: "quantity", message: "must be a whole number ≥ 1" }]);
  const token = owner.kind === "new-guest" ? newCartToken() : null;
  for (let attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
    const view = await tryAdd(
      deps,
      token ? { kind: "new-guest", token } : (owner as CartOwner),
      variantId,
      quantity,
    );
    if (view) return { view, token };
  }
  // Hot cart: take its row lock, which queues the writers.
  const cartId = await addLocked(
    deps,
    token ? { kind: "guest", token } : (owner as CartOwner),
    variantId,
    quantity,
  );
  return { view: await viewById(deps, cartId), token };
}

const cartFull = (maxLines: number) =>
  new DomainError("conflict", "CART_FULL", `a cart holds at most ${maxLines} lines`);

/**
 * One optimistic add: reads the cart with the variant (one statement), checks the rules, and
 * writes the line only if the cart is still at the version read (one statement). Null when the
 * cart changed meanwhile. The answer is the cart read with the line changed: exactly the cart
 * at the version written, so no second read.
 */
async function tryAdd(
  deps: CartDeps,
  owner: CartOwner | { kind: "new-guest"; token: string },
  variantId: string,
  quantity: number,
): Promise<CartView | null> {
  const now = deps.clock.now();
  const key = owner.kind === "new-guest" ? null : cartKeyOf(owner);
  let ctx = await deps.reads.lineContext(key, variantId, now);
  if (!ctx.variant) {
    await fetchVariant(deps, variantId);
    ctx = await deps.reads.lineContext(key, variantId, now);
  }
  const variant = ctx.variant;
  if (!variant) throw errors.notFound("variant");
  const cart = ctx.cart;
  if (!cart && owner.kind === "guest") throw tokenNotFound();
  const lines = cart?.lines ?? [];
  const existing = lines.find((l) => l.variant.variantId === variantId);
  const newQuantity = (existing?.quantity ?? 0) + quantity;
  checkLineQuantity(newQuantity, factsOf(variant), deps.settings.maxLineQuantity);
  if (!existing && lines.length >= deps.settings.maxLines) throw cartFull(deps.settings.maxLines);
  const write = { variantId, quantity: newQuantity, priceWhenAdded: variant.variant.price };
  let cartId: string;
  if (cart) {
    cartId = cart.cartId;
    if (!(await deps.writes.putLineAt(cart, write, now))) return null;
  } else {
    cartId = deps.newId();
    const created = await deps.writes.createWithLine(
      owner.kind === "user"
        ? { id: cartId, ownerId: owner.userId }
        : { id: cartId, tokenHash: hashCartToken((owner as { token: string }).token) },
      write,
      now,
    );
    if (!created) return null;
  }
  const line: LineSnapshot = {
    ...variant,
    quantity: newQuantity,
    priceWhenAdded: write.priceWhenAdded,
    addedAt: existing?.addedAt ?? now,
  };
  const written: CartSnapshot = {
    cartId,
    ownerId: owner.kind === "user" ? owner.userId : null,
    updatedAt: now,
    version: (cart?.version ?? 0) + 1,
    catalogVersion: ctx.catalogVersion,
    lines: existing ? lines.map((l) => (l === existing ? line : l)) : inOrder([...lines, line]),
    vouchers: cart?.vouchers ?? [],
  };
  const view = viewOf(written, {
    lineMax: deps.settings.maxLineQuantity,
    serviceFee: deps.settings.serviceFee,
    now,
  });
  deps.views.put(key ?? { tokenHash: hashCartToken((owner as { token: string }).token) }, written, view);
  return view;
}

/** Lines in the order the cart read returns them: by when added, then by variant id. */
function inOrder(lines: LineSnapshot[]): LineSnapshot[] {
  const at = (l: LineSnapshot) => l.addedAt?.getTime() ?? 0;
  return lines.sort((a, b) =>
    at(a) !== at(b)
      ? at(a) - at(b)
      : a.variant.variantId < b.variant.variantId
        ? -1
        : a.variant.variantId > b.variant.variantId
          ? 1
          : 0,
  );
}

/** An add under the cart's row lock (creating a user's cart when missing); returns the cart id. */
async function addLocked(
  deps: CartDeps,
  owner: CartOwner,
  variantId: string,
  quantity: number,
): Promise<string> {
  return withVariant(deps, variantId, () =>
    deps.uow.run(async (tx) => {
      const now = deps.clock.now();
      const id = await openCart(deps, tx, owner, now);
      const line = await tx.lines.withVariant(id, variantId);
      if (!line) throw new VariantNotProjected();
      checkLineQuantity(line.quantity + quantity, factsOf(line), deps.settings.maxLineQuantity);
      if (line.quantity === 0 && (await tx.lines.count(id)) >= deps.settings.maxLines)
        throw cartFull(deps.settings.maxLines);
      await tx.lines.put(id, variantId, line.quantity + quantity, line.variant.price, now);
      return id;
    }),
  );
}

/** Sets a line's quantity (the same rules as adding). NOT_FOUND when the cart has no such line. */
export async function updateItem(
  deps: CartDeps,
  owner: CartOwner,
  variantId: string,
  quantity: number,
): Promise<CartView> {
  checkVariantId(variantId);
  const cartId = await deps.uow.run(async (tx) => {
    const now = deps.clock.now();
    const id = await openCart(deps, tx, owner, now);
    const line = await tx.lines.withVariant(id, variantId);
    if (!line || line.quantity === 0) throw errors.notFound("cart line");
    checkLineQuantity(quantity, factsOf(line), deps.settings.maxLineQuantity);
    await tx.lines.put(id, variantId, quantity, line.variant.price, now);
    return id;
  });
  return viewById(deps, cartId);
}

/** Removes a line. NOT_FOUND when the cart has no such line. */
export async function removeItem(deps: CartDeps, owner: CartOwner, variantId: string): Promise<CartView> {
  checkVariantId(variantId);
  const cartId = await deps.uow.run(async (tx) => {
    const id = await openCart(deps, tx, owner, deps.clock.now());
    if (!(await tx.lines.remove(id, variantId))) throw errors.notFound("cart line");
    return id;
  });
  return viewById(deps, cartId);
}

/**
 * Moves a guest cart into the user's: quantities add up, capped by the line maximum and the
 * known stock; the guest cart and its token are gone afterwards. NOT_FOUND for an unknown token.
 */
export async function mergeCart(deps: CartDeps, userId: string, guestToken: string): Promise<CartView> {
  const guestKey = cartKeyOf({ kind: "guest", token: guestToken });
  await deps.uow.run(async (tx) => {
    const now = deps.clock.now();
    const guestId = "tokenHash" in guestKey ? await tx.carts.openByToken(guestKey.tokenHash, now) : null;
    if (!guestId) throw tokenNotFound();
    const mine = await tx.carts.openForOwner(userId, deps.newId(), now);
    const guest = await tx.snapshot({ cartId: guestId }, now);
    let lines = await tx.lines.count(mine);
    for (const g of guest?.lines ?? []) {
      const own = await tx.lines.withVariant(mine, g.variant.variantId);
      if (!own) continue;
      if (own.quantity === 0 && lines >= deps.settings.maxLines) continue;
      if (own.quantity === 0) lines += 1;
      const quantity = mergedQuantity(own.quantity, g.quantity, factsOf(own), deps.settings.maxLineQuantity);
      // The guest saw the price it added at; keep the older of the two so PRICE_CHANGED still shows.
      const seen = own.quantity === 0 ? g.priceWhenAdded : own.priceWhenAdded;
      await tx.lines.put(mine, g.variant.variantId, quantity, seen, now);
    }
    await tx.carts.delete(guestId);
  });
  return readCart(deps, { kind: "user", userId });
}

/** The view of a cart by id, right after a write. */
export async function viewById(deps: CartDeps, cartId: string): Promise<CartView> {
  const now = deps.clock.now();
  const snapshot = await deps.reads.snapshot({ cartId }, now);
  if (!snapshot) throw tokenNotFound();
  return viewOf(snapshot, {
    lineMax: deps.settings.maxLineQuantity,
    serviceFee: deps.settings.serviceFee,
    now,
  });
}
