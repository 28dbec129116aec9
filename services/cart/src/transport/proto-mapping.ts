import { type Cart, type Voucher, VoucherKind, VoucherScope } from "@toko/contracts/toko/cart/v1/cart";
import type { Money } from "@toko/contracts/toko/common/v1/money";
import { errors } from "@toko/kit";
import type { CartView } from "../application/cart-view.ts";
import type { VoucherRecord } from "../application/model.ts";
import type { VoucherKind as Kind, VoucherScope as Scope } from "../domain/voucher.ts";

/** Integer rupiah as Money. */
export const idr = (amount: number): Money => ({ amount, currency: "IDR" });

/** A Money input as rupiah; VALIDATION_FAILED naming `field` for another currency. */
export function rupiah(m: Money | undefined, field: string): number {
  if (!m) return 0;
  if (m.currency !== "" && m.currency !== "IDR")
    throw errors.invalid("unsupported currency", [{ field, message: "must be IDR" }]);
  return m.amount;
}

const scopes: Record<Scope, VoucherScope> = {
  platform: VoucherScope.VOUCHER_SCOPE_PLATFORM,
  shop: VoucherScope.VOUCHER_SCOPE_SHOP,
};
const kinds: Record<Kind, VoucherKind> = {
  percent: VoucherKind.VOUCHER_KIND_PERCENT,
  fixed: VoucherKind.VOUCHER_KIND_FIXED,
  free_shipping: VoucherKind.VOUCHER_KIND_FREE_SHIPPING,
};

/** A scope from the wire; VALIDATION_FAILED when unspecified. */
export function scopeFromProto(s: VoucherScope): Scope {
  const found = (Object.keys(scopes) as Scope[]).find((k) => scopes[k] === s);
  if (!found) throw errors.invalid("invalid voucher", [{ field: "scope", message: "platform or shop" }]);
  return found;
}

/** A kind from the wire; VALIDATION_FAILED when unspecified. */
export function kindFromProto(k: VoucherKind): Kind {
  const found = (Object.keys(kinds) as Kind[]).find((x) => kinds[x] === k);
  if (!found)
    throw errors.invalid("invalid voucher", [{ field: "kind", message: "percent, fixed or free_shipping" }]);
  return found;
}

/** A voucher record on the wire. */
export function voucherToProto(v: VoucherRecord & { used?: number }): Voucher {
  return {
    id: v.id,
    code: v.code,
    scope: scopes[v.scope],
    shopId: v.shopId ?? "",
    kind: kinds[v.kind],
    percentOff: v.percentOff,
    amount: idr(v.amount),
    maxDiscount: v.maxDiscount === null ? undefined : idr(v.maxDiscount),
    minSpend: idr(v.minSpend),
    startsAt: v.startsAt,
    endsAt: v.endsAt,
    totalLimit: v.totalLimit ?? 0,
    perUserLimit: v.perUserLimit ?? 0,
    used: v.used ?? 0,
    createdAt: v.createdAt,
  };
}

/** A priced cart on the wire. */
export function cartToProto(view: CartView): Cart {
  return {
    shops: view.shops.map((s) => ({
      shop: { id: s.shop.shopId, name: s.shop.name, city: s.shop.city, province: s.shop.province },
      lines: s.lines.map((l) => ({
        variantId: l.variant.variantId,
        productId: l.variant.productId,
        sku: l.variant.sku,
        title: l.variant.title,
        options: l.variant.options,
        imageUrl: l.variant.imageUrl,
        quantity: l.quantity,
        unitPrice: idr(l.unitPrice),
        lineTotal: idr(l.lineTotal),
        stockStatus: l.stockStatus,
        problems: l.problems,
        priceWhenAdded: idr(l.priceWhenAdded),
        weightGrams: l.variant.weightGrams,
        lengthCm: l.variant.lengthCm,
        widthCm: l.variant.widthCm,
        heightCm: l.variant.heightCm,
        minOrder: l.variant.minOrder,
        maxQuantity: l.maxQuantity,
      })),
      subtotal: idr(s.subtotal),
      discount: idr(s.discount),
      shipping: idr(s.shipping),
      shippingOptionId: s.shippingOptionId,
      total: idr(s.total),
    })),
    vouchers: view.vouchers.map((v) => ({
      code: v.voucher.code,
      discount: idr(v.discount),
      problem: v.problem ?? "",
      scope: scopes[v.voucher.scope],
      kind: kinds[v.voucher.kind],
      shopId: v.voucher.shopId ?? "",
    })),
    totals: {
      subtotal: idr(view.totals.subtotal),
      discount: idr(view.totals.discount),
      shipping: idr(view.totals.shipping),
      serviceFee: idr(view.totals.serviceFee),
      grandTotal: idr(view.totals.grandTotal),
    },
    updatedAt: view.updatedAt ?? undefined,
  };
}
