import { errors, type FieldViolation } from "@toko/kit/errors";
import { parcelOf } from "../domain/parcel.ts";
import { availabilityProblem, normalizeCode, voucherRefusal } from "../domain/voucher.ts";
import { type CartView, linesByShop, type ShippingChoice, viewOf } from "./cart-view.ts";
import { fetchVariants } from "./catalog-fetch.ts";
import type { CartSnapshot } from "./model.ts";
import type { CartDeps, CartTx, Destination, RateQuote } from "./ports.ts";

/** What a checkout prices the cart with. */
export interface PricingRequest {
  addressId: string;
  shipping: { shopId: string; optionId: string }[];
  /** Replaces the cart's applied vouchers when set. */
  voucherCodes: string[] | null;
  livePrices: boolean;
}

/** Carrier quotes for each shop of the user's cart that has something to buy, to one of their addresses. */
export async function shippingOptions(
  deps: CartDeps,
  userId: string,
  addressId: string,
): Promise<{ shopId: string; quotes: RateQuote[] }[]> {
  return (await cartShipping(deps, userId, addressId)).options;
}

/** A cart priced for checkout, and the address its couriers were quoted to (null without couriers). */
export interface CheckoutPricing {
  view: CartView;
  destination: Destination | null;
}

/** The quotes of `shippingOptions`, and every shop the cart holds lines of (buyable or not). */
async function cartShipping(
  deps: CartDeps,
  userId: string,
  addressId: string,
): Promise<{
  options: { shopId: string; quotes: RateQuote[] }[];
  shopIds: Set<string>;
  destination: Destination;
}> {
  if (addressId === "")
    throw errors.invalid("invalid address", [{ field: "address_id", message: "is required" }]);
  const destination = await deps.addresses.destination(addressId);
  const snapshot = await deps.reads.snapshot({ ownerId: userId }, deps.clock.now());
  if (!snapshot) return { options: [], shopIds: new Set(), destination };
  const byShop = linesByShop(snapshot, deps.settings.maxLineQuantity);
  const shopIds = new Set(byShop.keys());
  const options = await Promise.all(
    [...byShop.values()]
      .map((lines) => lines.filter((l) => l.purchasable))
      .filter((lines) => lines.length > 0)
      .map(async (lines) => {
        const shop = lines[0]?.shop;
        if (!shop) throw new Error("a shop group without lines");
        const quotes = await deps.rates.quote({
          originCity: shop.city,
          originProvince: shop.province,
          destinationCity: destination.city,
          destinationProvince: destination.province,
          parcel: parcelOf(lines.map((l) => ({ quantity: l.quantity, ...l.variant }))),
        });
        return { shopId: shop.shopId, quotes };
      }),
  );
  return { options, shopIds, destination };
}

/** The couriers chosen, checked against fresh quotes (a checkout never trusts a price it was sent). */
async function chooseShipping(
  deps: CartDeps,
  userId: string,
  request: PricingRequest,
): Promise<{ choice: ShippingChoice; destination: Destination | null }> {
  if (request.shipping.length === 0) return { choice: new Map(), destination: null };
  if (request.addressId === "")
    throw errors.invalid("invalid shipping", [{ field: "address_id", message: "is required with shipping" }]);
  const { options: quoted, shopIds, destination } = await cartShipping(deps, userId, request.addressId);
  const options = new Map(quoted.map((s) => [s.shopId, s.quotes]));
  const bad: FieldViolation[] = [];
  const choice = new Map<string, { optionId: string; price: number }>();
  request.shipping.forEach((s, i) => {
    const quotes = options.get(s.shopId);
    const quote = quotes?.find((q) => q.optionId === s.optionId);
    // A shop whose lines all ran out has no parcel to quote: its lines carry the problem.
    if (!quotes && shopIds.has(s.shopId)) return;
    if (!quotes) bad.push({ field: `shipping[${i}].shop_id`, message: "has nothing to ship in this cart" });
    else if (choice.has(s.shopId)) bad.push({ field: `shipping[${i}].shop_id`, message: "is chosen twice" });
    else if (!quote)
      bad.push({ field: `shipping[${i}].option_id`, message: "is not offered for this parcel" });
    else choice.set(s.shopId, { optionId: quote.optionId, price: quote.price });
  });
  if (bad.length > 0) throw errors.invalid("invalid shipping selection", bad);
  return { choice, destination };
}

/** Swaps the cart's applied vouchers for the codes given (usage counted without `checkoutId`'s own holds). */
async function withVouchers(
  tx: CartTx,
  snapshot: CartSnapshot,
  codes: string[],
  userId: string,
  now: Date,
  checkoutId: string,
): Promise<void> {
  snapshot.vouchers = [];
  for (const raw of new Set(codes.map(normalizeCode))) {
    const voucher = await tx.vouchers.byCode(raw);
    if (!voucher) throw voucherRefusal("VOUCHER_NOT_FOUND", raw);
    snapshot.vouchers.push({ voucher, usage: await tx.vouchers.usage(voucher.id, userId, now, checkoutId) });
  }
}

/**
 * The user's cart priced for checkout: fresh prices when asked, the chosen couriers' quoted
 * prices, and every voucher applying (else its VOUCHER_* refusal). Reads in `tx` when given
 * (the reservation's transaction), so what is priced is what is held.
 */
export async function priceForCheckout(
  deps: CartDeps,
  userId: string,
  request: PricingRequest,
  checkoutId = "",
  andThen?: (tx: CartTx, view: CartView) => Promise<void>,
): Promise<CheckoutPricing> {
  if (request.livePrices) {
    const current = await deps.reads.snapshot({ ownerId: userId }, deps.clock.now());
    await fetchVariants(deps, current?.lines.map((l) => l.variant.variantId) ?? []);
  }
  const { choice: shipping, destination } = await chooseShipping(deps, userId, request);
  const view = await deps.uow.run(async (tx) => {
    const now = deps.clock.now();
    const snapshot = await tx.snapshot({ ownerId: userId }, now, checkoutId);
    if (!snapshot || snapshot.lines.length === 0)
      throw errors.precondition("CART_EMPTY", "the cart has nothing to check out");
    if (request.voucherCodes !== null)
      await withVouchers(tx, snapshot, request.voucherCodes, userId, now, checkoutId);
    const view = viewOf(snapshot, {
      lineMax: deps.settings.maxLineQuantity,
      serviceFee: deps.settings.serviceFee,
      now,
      shipping,
    });
    const refused = view.vouchers.find((v) => v.problem !== null);
    if (refused?.problem) throw voucherRefusal(refused.problem, refused.voucher.code);
    if (andThen) await andThen(tx, view);
    return view;
  });
  return { view, destination };
}

/**
 * Prices the cart as `priceForCheckout` and, in the same transaction, holds one use of each
 * voucher for the checkout until `expiresAt`. The vouchers' rows are locked while their live
 * uses are counted and the hold is written, so concurrent checkouts cannot take more uses than a
 * limit allows. Idempotent per checkout: uses it already holds are kept and not counted against
 * it. A cart with a line that cannot be bought holds nothing (the checkout refuses it).
 */
export async function reserveVouchers(
  deps: CartDeps,
  userId: string,
  checkoutId: string,
  request: PricingRequest,
  expiresAt: Date | null,
): Promise<CheckoutPricing> {
  if (checkoutId === "" || checkoutId.length > 100)
    throw errors.invalid("invalid checkout", [{ field: "checkout_id", message: "is required" }]);
  const until = expiresAt ?? new Date(deps.clock.now().getTime() + deps.settings.voucherHoldTtlMs);
  return priceForCheckout(deps, userId, request, checkoutId, async (tx, view) => {
    const discounting = view.vouchers.filter((v) => v.discount > 0);
    if (discounting.length === 0) return;
    if (view.shops.some((s) => s.lines.some((l) => !l.purchasable))) return;
    const now = deps.clock.now();
    const held = new Set((await tx.vouchers.usesOf(checkoutId)).map((u) => u.voucherId));
    const toHold = discounting.filter((v) => !held.has(v.voucher.id));
    await tx.vouchers.lock(toHold.map((v) => v.voucher.id));
    const buying = view.shops.filter((s) => s.subtotal > 0).map((s) => s.shop.shopId);
    for (const v of toHold) {
      const usage = await tx.vouchers.usage(v.voucher.id, userId, now, checkoutId);
      const problem = availabilityProblem(v.voucher, usage, now);
      if (problem) throw voucherRefusal(problem, v.voucher.code);
      await tx.vouchers.hold({
        voucherId: v.voucher.id,
        checkoutId,
        userId,
        shopIds: v.voucher.scope === "shop" && v.voucher.shopId ? [v.voucher.shopId] : buying,
        expiresAt: until,
        now,
      });
    }
  });
}
