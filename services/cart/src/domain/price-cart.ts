import { allocate } from "./allocate.ts";
import {
  availabilityProblem,
  stackingSlot,
  type VoucherProblem,
  type VoucherTerms,
  type VoucherUsage,
} from "./voucher.ts";

/** A line as priced: only purchasable lines count in the totals. */
export interface PricedLineInput {
  shopId: string;
  unitPrice: number;
  quantity: number;
  purchasable: boolean;
}

/** A voucher as the calculation sees it: terms plus how much of it is taken. */
export interface VoucherInput {
  terms: VoucherTerms;
  usage: VoucherUsage;
}

/** Everything the calculation needs; no I/O happens inside it. */
export interface PriceInput {
  /** Shops in display order (the order of the result). */
  shopIds: readonly string[];
  lines: readonly PricedLineInput[];
  /** The chosen courier's price per shop; shops without a choice ship for 0 until chosen. */
  shipping: ReadonlyMap<string, number>;
  /** In the order they were applied: an earlier voucher keeps its stacking slot. */
  vouchers: readonly VoucherInput[];
  /** Per checkout, charged when anything can be bought. */
  serviceFee: number;
  now: Date;
}

export interface ShopTotals {
  shopId: string;
  subtotal: number;
  /** Shop voucher, plus this shop's shares of the platform and shipping vouchers. */
  discount: number;
  shipping: number;
  total: number;
}

export interface VoucherResult {
  code: string;
  discount: number;
  problem: VoucherProblem | null;
}

export interface PriceResult {
  shops: ShopTotals[];
  vouchers: VoucherResult[];
  totals: { subtotal: number; discount: number; shipping: number; serviceFee: number; grandTotal: number };
}

/** `percent`% of `base`, floored to the rupiah (the house rounding rule: discounts never round up). */
export function percentOf(base: number, percent: number): number {
  return Number((BigInt(base) * BigInt(percent)) / 100n);
}

/** A discount voucher's amount on `base`: percent floored then capped, or fixed; never above base. */
function discountOn(base: number, v: VoucherTerms): number {
  const raw =
    v.kind === "percent" ? Math.min(percentOf(base, v.percentOff), v.maxDiscount ?? base) : v.amount;
  return Math.max(0, Math.min(raw, base));
}

/**
 * The one price calculation (cart page and checkout alike). Per shop: subtotal of purchasable
 * lines, then the shop's voucher (minimum spend on that subtotal). Then the platform discount
 * voucher on what is left (minimum spend on the cart subtotal), split across shops in
 * proportion to what is left in each. Then shipping per shop and the free-shipping voucher
 * (minimum spend on the cart subtotal, at most its cap and the shipping), split in proportion
 * to each shop's shipping. Then the service fee. All integer rupiah: percents floor, splits
 * give leftover rupiah to the largest remainders, so the parts always add up to the totals.
 * A voucher that does not apply discounts 0 and says why.
 */
export function priceCart(input: PriceInput): PriceResult {
  const subtotals = new Map<string, number>(input.shopIds.map((id) => [id, 0]));
  for (const line of input.lines) {
    if (!line.purchasable) continue;
    subtotals.set(line.shopId, (subtotals.get(line.shopId) ?? 0) + line.unitPrice * line.quantity);
  }
  const cartSubtotal = [...subtotals.values()].reduce((a, b) => a + b, 0);
  const shopDiscount = new Map<string, number>();
  const platformShare = new Map<string, number>();
  const shippingShare = new Map<string, number>();
  const results = new Map<VoucherInput, VoucherResult>();
  const slots = new Set<string>();
  const addShares = (into: Map<string, number>, shares: number[]) =>
    shares.forEach((share, i) => {
      const id = input.shopIds[i] ?? "";
      into.set(id, (into.get(id) ?? 0) + share);
    });

  const applicable = (vi: VoucherInput): VoucherProblem | null => {
    const v = vi.terms;
    const slot = stackingSlot(v);
    if (slots.has(slot)) return "VOUCHER_NOT_COMBINABLE";
    slots.add(slot);
    const problem = availabilityProblem(v, vi.usage, input.now);
    if (problem) return problem;
    const base = v.scope === "shop" ? (subtotals.get(v.shopId ?? "") ?? 0) : cartSubtotal;
    if (v.scope === "shop" && base === 0) return "VOUCHER_NOT_APPLICABLE";
    if (base < v.minSpend) return "VOUCHER_MIN_SPEND";
    return null;
  };
  // Slots are claimed in application order, so evaluate every voucher in that order first.
  const problems = new Map(input.vouchers.map((vi) => [vi, applicable(vi)] as const));
  const ok = (vi: VoucherInput) => problems.get(vi) === null;
  const record = (vi: VoucherInput, discount: number) =>
    results.set(vi, { code: vi.terms.code, discount, problem: problems.get(vi) ?? null });

  for (const vi of input.vouchers.filter((v) => v.terms.scope === "shop")) {
    const shopId = vi.terms.shopId ?? "";
    const amount = ok(vi) ? discountOn(subtotals.get(shopId) ?? 0, vi.terms) : 0;
    if (amount > 0) shopDiscount.set(shopId, amount);
    record(vi, amount);
  }
  const afterShop = input.shopIds.map((id) => (subtotals.get(id) ?? 0) - (shopDiscount.get(id) ?? 0));
  for (const vi of input.vouchers.filter(
    (v) => v.terms.scope === "platform" && v.terms.kind !== "free_shipping",
  )) {
    const base = afterShop.reduce((a, b) => a + b, 0);
    const amount = ok(vi) ? discountOn(base, vi.terms) : 0;
    addShares(platformShare, allocate(amount, afterShop));
    record(vi, amount);
  }
  const shipping = input.shopIds.map((id) =>
    (subtotals.get(id) ?? 0) > 0 ? (input.shipping.get(id) ?? 0) : 0,
  );
  for (const vi of input.vouchers.filter((v) => v.terms.kind === "free_shipping")) {
    const total = shipping.reduce((a, b) => a + b, 0);
    const amount = ok(vi) ? Math.min(vi.terms.amount, total) : 0;
    addShares(shippingShare, allocate(amount, shipping));
    record(vi, amount);
  }

  const shops = input.shopIds.map((shopId, i): ShopTotals => {
    const subtotal = subtotals.get(shopId) ?? 0;
    const discount =
      (shopDiscount.get(shopId) ?? 0) + (platformShare.get(shopId) ?? 0) + (shippingShare.get(shopId) ?? 0);
    const ship = shipping[i] ?? 0;
    return { shopId, subtotal, discount, shipping: ship, total: subtotal - discount + ship };
  });
  const sum = (f: (s: ShopTotals) => number) => shops.reduce((a, s) => a + f(s), 0);
  const serviceFee = cartSubtotal > 0 ? input.serviceFee : 0;
  const discount = sum((s) => s.discount);
  const shippingTotal = sum((s) => s.shipping);
  return {
    shops,
    vouchers: input.vouchers.map(
      (vi) => results.get(vi) ?? { code: vi.terms.code, discount: 0, problem: null },
    ),
    totals: {
      subtotal: cartSubtotal,
      discount,
      shipping: shippingTotal,
      serviceFee,
      grandTotal: cartSubtotal - discount + shippingTotal + serviceFee,
    },
  };
}
