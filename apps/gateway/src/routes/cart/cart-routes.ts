import type { Static } from "@sinclair/typebox";
import type { CartServiceClient } from "@toko/contracts/toko/cart/v1/cart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { buyerOnly, guestOrBuyer } from "../../auth/route-rules.ts";
import type { Upstream } from "../../upstreams.ts";
import type { RouteSettings } from "../route-module.ts";
import { cartTokenOf, setCartCookie } from "./cart-token.ts";
import {
  AddItemBody,
  CartView,
  CodeParams,
  MergeBody,
  problems,
  QuantityBody,
  ShippingOptionsQuery,
  ShippingOptionsView,
  VariantParams,
  VoucherCodeBody,
} from "./schemas.ts";
import { cartJson, shippingOptionsJson } from "./views.ts";

const tags = ["Cart"];
const security: { [name: string]: string[] }[] = [{ bearer: [] }, {}];
// Guests have carts too: a token is verified when sent, and the cart is then the user's.
const userOrGuest = { auth: guestOrBuyer };
const buyer = { auth: buyerOnly };
const tokenHeader = {
  type: "object",
  properties: { "x-cart-token": { type: "string", maxLength: 200, description: "a guest's cart token" } },
} as const;

/** `/api/v1/cart`: lines, guest tokens, merge, vouchers, shipping options → `cart`. */
export function registerCartRoutes(
  app: FastifyInstance,
  upstream: Upstream<CartServiceClient>,
  settings: RouteSettings,
): void {
  const cart = upstream.client;
  const secure = settings.publicOrigin.startsWith("https://");
  const opts = (request: FastifyRequest) => ({
    principal: request.principal as never,
    requestId: request.id,
  });
  // A signed-in caller's cart is their own; the token only names a guest's.
  const ref = (request: FastifyRequest) => ({ cartToken: request.principal ? "" : cartTokenOf(request) });

  app.get(
    "/api/v1/cart",
    {
      config: userOrGuest,
      schema: {
        tags,
        security,
        summary: "The cart, grouped per shop, with live prices and totals",
        headers: tokenHeader,
        response: { 200: CartView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) => cartJson((await cart.getCart({ ref: ref(request) }, opts(request))).cart),
  );

  app.post<{ Body: Static<typeof AddItemBody> }>(
    "/api/v1/cart/items",
    {
      config: userOrGuest,
      schema: {
        tags,
        security,
        summary: "Add units of a variant (a guest's first add answers with a cart_token and sets its cookie)",
        headers: tokenHeader,
        body: AddItemBody,
        response: { 200: CartView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const res = await cart.addItem(
        { ref: ref(request), variantId: request.body.variant_id, quantity: request.body.quantity },
        opts(request),
      );
      if (res.cartToken === "") return cartJson(res.cart);
      setCartCookie(reply, res.cartToken, secure);
      return { ...cartJson(res.cart), cart_token: res.cartToken };
    },
  );

  app.patch<{ Params: Static<typeof VariantParams>; Body: Static<typeof QuantityBody> }>(
    "/api/v1/cart/items/:variant_id",
    {
      config: userOrGuest,
      schema: {
        tags,
        security,
        summary: "Set a line's quantity",
        headers: tokenHeader,
        params: VariantParams,
        body: QuantityBody,
        response: { 200: CartView, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request) => {
      const res = await cart.updateItem(
        { ref: ref(request), variantId: request.params.variant_id, quantity: request.body.quantity },
        opts(request),
      );
      return cartJson(res.cart);
    },
  );

  app.delete<{ Params: Static<typeof VariantParams> }>(
    "/api/v1/cart/items/:variant_id",
    {
      config: userOrGuest,
      schema: {
        tags,
        security,
        summary: "Remove a line",
        headers: tokenHeader,
        params: VariantParams,
        response: { 200: CartView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) => {
      const res = await cart.removeItem(
        { ref: ref(request), variantId: request.params.variant_id },
        opts(request),
      );
      return cartJson(res.cart);
    },
  );

  app.post<{ Body: Static<typeof MergeBody> }>(
    "/api/v1/cart/merge",
    {
      config: buyer,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary:
          "After sign-in, merge a guest cart into the user's (quantities add up within stock and the line maximum)",
        body: MergeBody,
        response: { 200: CartView, ...problems(400, 401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const res = await cart.mergeCart({ cartToken: request.body.cart_token }, opts(request));
      setCartCookie(reply, "", secure);
      return cartJson(res.cart);
    },
  );

  app.post<{ Body: Static<typeof VoucherCodeBody> }>(
    "/api/v1/cart/vouchers",
    {
      config: buyer,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary:
          "Apply a voucher: at most one platform discount, one free-shipping and one per shop; a refusal is 422 with VOUCHER_NOT_FOUND, VOUCHER_NOT_STARTED, VOUCHER_EXPIRED, VOUCHER_USED_UP, VOUCHER_MIN_SPEND, VOUCHER_NOT_APPLICABLE or VOUCHER_NOT_COMBINABLE",
        body: VoucherCodeBody,
        response: { 200: CartView, ...problems(400, 401, 403, 422, 503) },
      },
    },
    async (request) => cartJson((await cart.applyVoucher({ code: request.body.code }, opts(request))).cart),
  );

  app.delete<{ Params: Static<typeof CodeParams> }>(
    "/api/v1/cart/vouchers/:code",
    {
      config: buyer,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: "Remove an applied voucher",
        params: CodeParams,
        response: { 200: CartView, ...problems(401, 403, 404, 503) },
      },
    },
    async (request) =>
      cartJson((await cart.removeVoucher({ code: request.params.code }, opts(request))).cart),
  );

  app.get<{ Querystring: Static<typeof ShippingOptionsQuery> }>(
    "/api/v1/cart/shipping-options",
    {
      config: buyer,
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: "Courier quotes for each shop's parcel to one of the caller's addresses",
        querystring: ShippingOptionsQuery,
        response: { 200: ShippingOptionsView, ...problems(401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      const res = await cart.getShippingOptions({ addressId: request.query.address_id }, opts(request));
      return shippingOptionsJson(res.shops);
    },
  );
}
