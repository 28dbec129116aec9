import { type Principal, requireActingAs } from "@toko/kit";
import { DomainError, errors } from "@toko/kit/errors";
import {
  isVoucherCode,
  normalizeCode,
  type VoucherTerms,
  validateVoucherTerms,
  voucherRefusal,
} from "../domain/voucher.ts";
import type { CartView } from "./cart-view.ts";
import { viewOf } from "./cart-view.ts";
import { readCart, viewById } from "./carts.ts";
import type { Page, VoucherRecord } from "./model.ts";
import type { CartDeps } from "./ports.ts";

/** A new voucher's terms as asked for (scope decides who may create it). */
export type VoucherDraft = Omit<VoucherTerms, "shopId">;

/**
 * The shop whose vouchers the caller manages under `scope`: none for platform vouchers (an admin,
 * role and scope), else the caller's own shop (a seller, role and scope; the catalog answers with
 * the shop they own, NO_SHOP when none).
 */
async function managedShop(deps: CartDeps, principal: Principal, scope: "platform" | "shop") {
  if (scope === "platform") {
    requireActingAs(principal, "admin");
    return null;
  }
  requireActingAs(principal, "seller");
  return deps.catalog.callerShopId();
}

/**
 * Creates a voucher: a platform voucher by an admin, a shop voucher by the owner of the shop
 * (the caller's own shop, from the catalog). VOUCHER_CODE_TAKEN when the code exists.
 */
export async function createVoucher(
  deps: CartDeps,
  principal: Principal,
  draft: VoucherDraft,
): Promise<VoucherRecord> {
  const shopId = await managedShop(deps, principal, draft.scope);
  const terms: VoucherTerms = { ...draft, code: normalizeCode(draft.code), shopId };
  validateVoucherTerms(terms);
  const record: VoucherRecord = { ...terms, id: deps.newId(), createdAt: deps.clock.now() };
  await deps.uow.run((tx) => tx.vouchers.insert(record, principal.subject));
  return record;
}

/** The vouchers the caller manages: the platform's for an admin asking for them, else their shop's. */
export async function listVouchers(
  deps: CartDeps,
  principal: Principal,
  scope: "platform" | "shop",
  page: { cursor: string; limit: number },
): Promise<Page<VoucherRecord & { used: number }>> {
  const shopId = await managedShop(deps, principal, scope);
  const limit = page.limit === 0 ? 20 : page.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw errors.invalid("invalid page", [{ field: "page.limit", message: "between 1 and 100" }]);
  if (page.cursor !== "" && !/^[0-9a-f-]{36}$/.test(page.cursor))
    throw errors.invalid("invalid page", [{ field: "page.cursor", message: "not a cursor of this list" }]);
  return deps.reads.vouchers(shopId, page.cursor, limit, deps.clock.now());
}

/**
 * Applies a voucher to the user's cart when it applies now, judged by the one price calculation
 * with the cart's vouchers plus this one (window, usage limits, minimum spend, shop in the cart,
 * stacking rule). A refusal is the voucher's VOUCHER_* reason and changes nothing; applying an
 * applied voucher again answers the cart as it is.
 */
export async function applyVoucher(deps: CartDeps, userId: string, rawCode: string): Promise<CartView> {
  const code = normalizeCode(rawCode);
  if (!isVoucherCode(code)) throw voucherRefusal("VOUCHER_NOT_FOUND", code);
  const cartId = await deps.uow.run(async (tx) => {
    const now = deps.clock.now();
    const voucher = await tx.vouchers.byCode(code);
    if (!voucher) throw voucherRefusal("VOUCHER_NOT_FOUND", code);
    const cartId = await tx.carts.openForOwner(userId, deps.newId(), now);
    const snapshot = await tx.snapshot({ cartId }, now);
    if (!snapshot) throw new Error("the cart just opened is missing");
    if (snapshot.vouchers.some((v) => v.voucher.id === voucher.id)) return cartId;
    const usage = await tx.vouchers.usage(voucher.id, userId, now, "");
    snapshot.vouchers.push({ voucher, usage });
    const view = viewOf(snapshot, {
      lineMax: deps.settings.maxLineQuantity,
      serviceFee: deps.settings.serviceFee,
      now,
    });
    const problem = view.vouchers.at(-1)?.problem;
    if (problem) throw voucherRefusal(problem, code);
    await tx.vouchers.apply(cartId, voucher.id, now);
    return cartId;
  });
  return viewById(deps, cartId);
}

/** Takes a voucher off the user's cart. NOT_FOUND when it is not applied. */
export async function removeVoucher(deps: CartDeps, userId: string, rawCode: string): Promise<CartView> {
  const code = normalizeCode(rawCode);
  const notApplied = () =>
    new DomainError("not_found", "NOT_FOUND", "that voucher is not applied to the cart");
  await deps.uow.run(async (tx) => {
    const voucher = isVoucherCode(code) ? await tx.vouchers.byCode(code) : null;
    if (!voucher) throw notApplied();
    const cartId = await tx.carts.openForOwner(userId, deps.newId(), deps.clock.now());
    if (!(await tx.vouchers.unapply(cartId, voucher.id))) throw notApplied();
  });
  return readCart(deps, { kind: "user", userId });
}
