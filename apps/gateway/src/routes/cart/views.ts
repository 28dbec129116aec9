import type { Cart, ShopShippingOptions, Voucher } from "@toko/contracts/toko/cart/v1/cart";
import { VoucherKind, VoucherScope } from "@toko/contracts/toko/cart/v1/cart";
import type { Money } from "@toko/contracts/toko/common/v1/money";

const money = (m: Money | undefined) => ({ amount: m?.amount ?? 0, currency: "IDR" as const });

/** A priced cart as the public JSON. */
export function cartJson(cart: Cart | undefined) {
  return {
    shops: (cart?.shops ?? []).map((s) => ({
      shop: { id: s.shop?.id ?? "", name: s.shop?.name ?? "", city: s.shop?.city ?? "" },
      lines: s.lines.map((l) => ({
        variant_id: l.variantId,
        product_id: l.productId,
        sku: l.sku,
        title: l.title,
        options: Object.fromEntries(l.options.map((o) => [o.name, o.value])),
        image_url: l.imageUrl === "" ? null : l.imageUrl,
        quantity: l.quantity,
        unit_price: money(l.unitPrice),
        line_total: money(l.lineTotal),
        stock_status: l.stockStatus,
        problems: l.problems,
        price_when_added: money(l.priceWhenAdded),
        min_order: l.minOrder,
        max_quantity: l.maxQuantity,
        weight_grams: l.weightGrams,
      })),
      subtotal: money(s.subtotal),
      discount: money(s.discount),
      shipping: money(s.shipping),
      total: money(s.total),
    })),
    vouchers: (cart?.vouchers ?? []).map((v) => ({
      code: v.code,
      discount: money(v.discount),
      problem: v.problem === "" ? null : v.problem,
    })),
    totals: {
      subtotal: money(cart?.totals?.subtotal),
      discount: money(cart?.totals?.discount),
      shipping: money(cart?.totals?.shipping),
      service_fee: money(cart?.totals?.serviceFee),
      grand_total: money(cart?.totals?.grandTotal),
    },
  };
}

/** Shipping quotes per shop as the public JSON. */
export function shippingOptionsJson(shops: ShopShippingOptions[]) {
  return {
    items: shops.map((s) => ({
      shop_id: s.shopId,
      options: s.options.map((o) => ({
        id: o.id,
        carrier: o.carrier,
        service: o.service,
        price: money(o.price),
        etd_days: { min: o.etdMinDays, max: o.etdMaxDays },
      })),
    })),
  };
}

const kinds: Record<string, VoucherKind> = {
  percent: VoucherKind.VOUCHER_KIND_PERCENT,
  fixed: VoucherKind.VOUCHER_KIND_FIXED,
  free_shipping: VoucherKind.VOUCHER_KIND_FREE_SHIPPING,
};

/** The public kind word → the wire enum. */
export const kindToProto = (kind: string): VoucherKind => kinds[kind] ?? VoucherKind.VOUCHER_KIND_UNSPECIFIED;

/** A voucher as the public JSON. */
export function voucherJson(v: Voucher | undefined) {
  if (!v) throw new Error("the cart service answered without a voucher");
  const kind = Object.keys(kinds).find((k) => kinds[k] === v.kind) ?? "unknown";
  return {
    id: v.id,
    code: v.code,
    scope: v.scope === VoucherScope.VOUCHER_SCOPE_SHOP ? "shop" : "platform",
    shop_id: v.shopId === "" ? null : v.shopId,
    kind,
    percent_off: kind === "percent" ? v.percentOff : null,
    amount: kind === "percent" ? null : money(v.amount),
    max_discount: v.maxDiscount ? money(v.maxDiscount) : null,
    min_spend: money(v.minSpend),
    starts_at: (v.startsAt ?? new Date(0)).toISOString(),
    ends_at: (v.endsAt ?? new Date(0)).toISOString(),
    total_limit: v.totalLimit === 0 ? null : v.totalLimit,
    per_user_limit: v.perUserLimit === 0 ? null : v.perUserLimit,
    used: v.used,
    created_at: (v.createdAt ?? new Date(0)).toISOString(),
  };
}
