import {
  type Cart,
  type CartRef,
  type CartServiceServer,
  CartServiceService,
  type PriceCartRequest,
} from "@toko/contracts/toko/cart/v1/cart";
import {
  type CallContext,
  type ImplementedService,
  type ImplementOptions,
  implement,
  type Principal,
  requirePrincipal,
  SERVICE_ROLE,
} from "@toko/kit";
import { errors } from "@toko/kit/errors";
import { type CartView, emptyView } from "../application/cart-view.ts";
import { addItem, mergeCart, readCart, removeItem, updateItem } from "../application/carts.ts";
import {
  type PricingRequest,
  priceForCheckout,
  reserveVouchers,
  shippingOptions,
} from "../application/checkout-pricing.ts";
import type { CartOwner } from "../application/model.ts";
import type { CartDeps } from "../application/ports.ts";
import { applyVoucher, createVoucher, listVouchers, removeVoucher } from "../application/vouchers.ts";
import { cartToProto, idr, kindFromProto, rupiah, scopeFromProto, voucherToProto } from "./proto-mapping.ts";

// The guest actions the gateway forwards for visitors without a token (the proto's "Callable
// without a principal."); every other method needs a signed-in caller.
const publicMethods: ImplementOptions<CartServiceServer> = {
  anonymous: ["getCart", "addItem", "updateItem", "removeItem"],
};

/**
 * The user whose cart a call is about. A service acting as itself has no cart: PriceCart and
 * ReserveVouchers are called by the order service with the buyer's principal forwarded.
 */
function cartUser(principal: Principal): string {
  if (principal.roles.includes(SERVICE_ROLE))
    throw errors.forbidden("a cart belongs to a user; call with the buyer's principal");
  return principal.subject;
}

/** The signed-in caller's user id: UNAUTHENTICATED when anonymous, FORBIDDEN for a service. */
const userOf = (ctx: CallContext) => cartUser(requirePrincipal(ctx));

/** The cart a call is about: the signed-in caller's own, else the guest token's; null for neither. */
function ownerOf(ctx: CallContext, ref: CartRef | undefined): CartOwner | null {
  if (ctx.principal) return { kind: "user", userId: cartUser(ctx.principal) };
  const token = ref?.cartToken ?? "";
  return token === "" ? null : { kind: "guest", token };
}

/** As `ownerOf`, but a call naming no cart is about a cart that does not exist (NOT_FOUND). */
function existingOwner(ctx: CallContext, ref: CartRef | undefined): CartOwner {
  return ownerOf(ctx, ref) ?? { kind: "guest", token: "" };
}

function pricingRequest(req: PriceCartRequest | undefined): PricingRequest {
  return {
    addressId: req?.addressId ?? "",
    shipping: (req?.shipping ?? []).map((s) => ({ shopId: s.shopId, optionId: s.optionId })),
    voucherCodes: req?.overrideVouchers ? req.voucherCodes : null,
    livePrices: req?.livePrices ?? false,
  };
}

/** `toko.cart.v1.CartService` over the use cases: proto in, proto out, nothing else. */
export function cartGrpcService(deps: CartDeps): ImplementedService {
  const mapped = new WeakMap<CartView, Cart>();
  return implement<CartServiceServer>(CartServiceService, publicMethods, {
    async getCart(req, ctx) {
      const owner = ownerOf(ctx, req.ref);
      const view = owner ? await readCart(deps, owner) : emptyView();
      // A view reused from the cache is mapped once.
      let cart = mapped.get(view);
      if (!cart) {
        cart = cartToProto(view);
        mapped.set(view, cart);
      }
      return { cart };
    },
    async addItem(req, ctx) {
      const owner = ownerOf(ctx, req.ref) ?? { kind: "new-guest" as const };
      const { view, token } = await addItem(deps, owner, req.variantId, req.quantity);
      return { cart: cartToProto(view), cartToken: token ?? "" };
    },
    async updateItem(req, ctx) {
      const view = await updateItem(deps, existingOwner(ctx, req.ref), req.variantId, req.quantity);
      return { cart: cartToProto(view) };
    },
    async removeItem(req, ctx) {
      return { cart: cartToProto(await removeItem(deps, existingOwner(ctx, req.ref), req.variantId)) };
    },
    async mergeCart(req, ctx) {
      return { cart: cartToProto(await mergeCart(deps, userOf(ctx), req.cartToken)) };
    },
    async applyVoucher(req, ctx) {
      return { cart: cartToProto(await applyVoucher(deps, userOf(ctx), req.code)) };
    },
    async removeVoucher(req, ctx) {
      return { cart: cartToProto(await removeVoucher(deps, userOf(ctx), req.code)) };
    },
    async getShippingOptions(req, ctx) {
      const shops = await shippingOptions(deps, userOf(ctx), req.addressId);
      return {
        shops: shops.map((s) => ({
          shopId: s.shopId,
          options: s.quotes.map((q) => ({
            id: q.optionId,
            carrier: q.carrier,
            service: q.service,
            price: idr(q.price),
            etdMinDays: q.etdMinDays,
            etdMaxDays: q.etdMaxDays,
          })),
        })),
      };
    },
    // PriceCart and ReserveVouchers: the order service forwards the buyer's principal.
    async priceCart(req, ctx) {
      const { view } = await priceForCheckout(deps, userOf(ctx), pricingRequest(req));
      return { cart: cartToProto(view) };
    },
    async reserveVouchers(req, ctx) {
      const { view, destination } = await reserveVouchers(
        deps,
        userOf(ctx),
        req.checkoutId,
        pricingRequest(req.pricing),
        req.expiresAt ?? null,
      );
      return { cart: cartToProto(view), address: destination ?? undefined };
    },
    async createVoucher(req, ctx) {
      const voucher = await createVoucher(deps, requirePrincipal(ctx), {
        code: req.code,
        scope: scopeFromProto(req.scope),
        kind: kindFromProto(req.kind),
        percentOff: req.percentOff,
        amount: rupiah(req.amount, "amount"),
        maxDiscount: req.maxDiscount ? rupiah(req.maxDiscount, "max_discount") : null,
        minSpend: rupiah(req.minSpend, "min_spend"),
        startsAt: req.startsAt ?? deps.clock.now(),
        endsAt: req.endsAt ?? new Date(Number.NaN),
        totalLimit: req.totalLimit === 0 ? null : req.totalLimit,
        perUserLimit: req.perUserLimit === 0 ? null : req.perUserLimit,
      });
      return { voucher: voucherToProto({ ...voucher, used: 0 }) };
    },
    async listVouchers(req, ctx) {
      const page = await listVouchers(deps, requirePrincipal(ctx), scopeFromProto(req.scope), {
        cursor: req.page?.cursor ?? "",
        limit: req.page?.limit ?? 0,
      });
      return { vouchers: page.items.map(voucherToProto), page: { nextCursor: page.nextCursor } };
    },
  });
}
