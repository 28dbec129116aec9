import {
  isPurchasable,
  type LineProblem,
  lineProblems,
  maxQuantity,
  stockStatus,
} from "../domain/cart-line.ts";
import { type PriceResult, priceCart } from "../domain/price-cart.ts";
import type { VoucherProblem } from "../domain/voucher.ts";
import {
  type AppliedVoucherSnapshot,
  type CartSnapshot,
  type CatalogShop,
  factsOf,
  type LineSnapshot,
} from "./model.ts";

/** A line as shown: its snapshot, live price, stock status and problems. */
export interface LineView extends LineSnapshot {
  unitPrice: number;
  lineTotal: number;
  stockStatus: string;
  problems: LineProblem[];
  maxQuantity: number;
  purchasable: boolean;
}

export interface ShopView {
  shop: CatalogShop;
  lines: LineView[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingOptionId: string;
  total: number;
}

export interface VoucherView {
  voucher: AppliedVoucherSnapshot["voucher"];
  discount: number;
  problem: VoucherProblem | null;
}

/** The cart as the API shows it, priced by the one calculation. */
export interface CartView {
  shops: ShopView[];
  vouchers: VoucherView[];
  totals: PriceResult["totals"];
  updatedAt: Date | null;
}

/** Chosen couriers: shop id → option id and its quoted price. */
export type ShippingChoice = ReadonlyMap<string, { optionId: string; price: number }>;

/** The view of a cart that does not exist yet. */
export function emptyView(): CartView {
  return {
    shops: [],
    vouchers: [],
    totals: { subtotal: 0, discount: 0, shipping: 0, serviceFee: 0, grandTotal: 0 },
    updatedAt: null,
  };
}

/** Lines grouped per shop, shops in the order their first line was added. */
export function linesByShop(snapshot: CartSnapshot, lineMax: number): Map<string, LineView[]> {
  const byShop = new Map<string, LineView[]>();
  for (const line of snapshot.lines) {
    const facts = factsOf(line);
    const problems = lineProblems(line.quantity, line.priceWhenAdded, facts);
    // Fields listed rather than spread: the spread copy cost more than the rest of the view.
    const view: LineView = {
      variant: line.variant,
      shop: line.shop,
      quantity: line.quantity,
      priceWhenAdded: line.priceWhenAdded,
      available: line.available,
      reorderPoint: line.reorderPoint,
      addedAt: line.addedAt,
      unitPrice: line.variant.price,
      lineTotal: line.variant.price * line.quantity,
      stockStatus: stockStatus(facts),
      problems,
      maxQuantity: maxQuantity(facts, lineMax),
      purchasable: isPurchasable(problems),
    };
    const list = byShop.get(line.shop.shopId);
    if (list) list.push(view);
    else byShop.set(line.shop.shopId, [view]);
  }
  return byShop;
}

/** Prices a snapshot: the view every cart answer and the checkout pricing share. */
export function viewOf(
  snapshot: CartSnapshot,
  options: { lineMax: number; serviceFee: number; now: Date; shipping?: ShippingChoice },
): CartView {
  const byShop = linesByShop(snapshot, options.lineMax);
  const shopIds = [...byShop.keys()];
  const priced = priceCart({
    shopIds,
    lines: [...byShop.values()].flat().map((l) => ({
      shopId: l.shop.shopId,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      purchasable: l.purchasable,
    })),
    shipping: new Map([...(options.shipping ?? new Map()).entries()].map(([id, c]) => [id, c.price])),
    vouchers: snapshot.vouchers.map((v) => ({ terms: v.voucher, usage: v.usage })),
    serviceFee: options.serviceFee,
    now: options.now,
  });
  return {
    shops: priced.shops.map((s) => {
      const lines = byShop.get(s.shopId) ?? [];
      return {
        shop: lines[0]?.shop ?? { shopId: s.shopId, name: "", city: "", province: "" },
        lines,
        subtotal: s.subtotal,
        discount: s.discount,
        shipping: s.shipping,
        shippingOptionId: options.shipping?.get(s.shopId)?.optionId ?? "",
        total: s.total,
      };
    }),
    vouchers: snapshot.vouchers.map((v, i) => ({
      voucher: v.voucher,
      discount: priced.vouchers[i]?.discount ?? 0,
      problem: priced.vouchers[i]?.problem ?? null,
    })),
    totals: priced.totals,
    updatedAt: snapshot.updatedAt,
  };
}
