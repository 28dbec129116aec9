import type { Cart, CartLine, ShippingOption } from "./api-types.ts";

/** One shop's block on the cart page: its lines, the couriers it offers and the one chosen. */
export interface ShopGroup {
  shopId: string;
  shopName: string;
  city: string;
  lines: CartLine[];
  itemCount: number;
  subtotal: number;
  discount: number;
  options: ShippingOption[];
  chosen: ShippingOption | undefined;
  hasProblems: boolean;
}

/** The whole cart as the page shows it, with shipping from the chosen couriers. */
export interface CartView {
  groups: ShopGroup[];
  itemCount: number;
  subtotal: number;
  discount: number;
  shipping: number;
  serviceFee: number;
  grandTotal: number;
  /** Why checkout cannot proceed yet, in order of what to fix first; empty when it can. */
  blockers: ("EMPTY" | "LINE_PROBLEMS" | "CHOOSE_COURIER")[];
}

/**
 * Groups a cart per shop with its shipping options and the chosen courier per shop. The server's
 * totals are authoritative; shipping is added here from the choices the buyer made on the page.
 */
export function cartView(
  cart: Cart,
  optionsByShop: ReadonlyMap<string, ShippingOption[]> = new Map(),
  chosenByShop: ReadonlyMap<string, string> = new Map(),
): CartView {
  const groups = cart.shops
    .filter((s) => s.lines.length > 0)
    .map((s): ShopGroup => {
      const options = optionsByShop.get(s.shop.id) ?? [];
      const chosenId = chosenByShop.get(s.shop.id);
      return {
        shopId: s.shop.id,
        shopName: s.shop.name,
        city: s.shop.city,
        lines: s.lines,
        itemCount: s.lines.reduce((n, l) => n + l.quantity, 0),
        subtotal: s.subtotal.amount,
        discount: s.discount.amount,
        options,
        chosen: options.find((o) => o.id === chosenId),
        hasProblems: s.lines.some((l) => l.problems.length > 0),
      };
    });
  const shipping = groups.reduce((n, g) => n + (g.chosen?.price.amount ?? 0), 0);
  const serverShipping = cart.totals.shipping.amount;
  const blockers: CartView["blockers"] = [];
  if (groups.length === 0) blockers.push("EMPTY");
  if (groups.some((g) => g.hasProblems)) blockers.push("LINE_PROBLEMS");
  if (optionsByShop.size > 0 && groups.some((g) => g.chosen === undefined)) blockers.push("CHOOSE_COURIER");
  return {
    groups,
    itemCount: groups.reduce((n, g) => n + g.itemCount, 0),
    subtotal: cart.totals.subtotal.amount,
    discount: cart.totals.discount.amount,
    shipping: serverShipping > 0 ? serverShipping : shipping,
    serviceFee: cart.totals.service_fee.amount,
    grandTotal:
      cart.totals.grand_total.amount - serverShipping + (serverShipping > 0 ? serverShipping : shipping),
    blockers,
  };
}

/** The cheapest option per shop: the default courier choice. */
export function cheapestChoices(optionsByShop: ReadonlyMap<string, ShippingOption[]>): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const [shopId, options] of optionsByShop) {
    const best = [...options].sort(
      (a, b) => a.price.amount - b.price.amount || a.etd_days.max - b.etd_days.max,
    )[0];
    if (best) chosen.set(shopId, best.id);
  }
  return chosen;
}

/** A line problem as text, whatever shape the server gave it. */
export function problemText(p: CartLine["problems"][number]): string {
  return typeof p === "string" ? p : (p.message ?? p.code ?? "");
}
