import type { Static } from "@sinclair/typebox";
import type { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { buyerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  AddressBody,
  AddressList,
  AddressParams,
  AddressPatch,
  AddressView,
  PageQuery,
  ProductParams,
  problems,
  WishlistItemView,
  WishlistList,
} from "./schemas.ts";
import { addressJson, wishlistJson } from "./views.ts";

const tags = ["Users"];
const security = [{ bearer: [] }];

/** The caller's address book and wishlist. The user service enforces ownership itself. */
export function registerMeRoutes(app: FastifyInstance, upstream: Upstream<UserServiceClient>): void {
  const users = upstream.client;
  const as = (request: FastifyRequest) => ({ principal: request.principal, requestId: request.id });

  app.get(
    "/api/v1/me/addresses",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Address book, default first",
        response: { 200: AddressList, ...problems(401, 403, 503, 504) },
      },
    },
    async (request) => ({ items: (await users.listAddresses({}, as(request))).addresses.map(addressJson) }),
  );

  app.post<{ Body: Static<typeof AddressBody> }>(
    "/api/v1/me/addresses",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Add an address (at most 20; the first is the default)",
        body: AddressBody,
        response: { 201: AddressView, ...problems(400, 401, 403, 409, 422, 503, 504) },
      },
    },
    async (request, reply) => {
      const { label, lat, lng, is_default, postal_code, ...rest } = request.body;
      const { address } = await users.createAddress(
        {
          label,
          isDefault: is_default ?? false,
          address: { ...rest, postalCode: postal_code, latitude: lat, longitude: lng },
        },
        as(request),
      );
      return reply.code(201).send(addressJson(address));
    },
  );

  app.patch<{ Params: Static<typeof AddressParams>; Body: Static<typeof AddressPatch> }>(
    "/api/v1/me/addresses/:id",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Change an address; lat/lng null removes the location; is_default true moves the default",
        params: AddressParams,
        body: AddressPatch,
        response: { 200: AddressView, ...problems(400, 401, 403, 404, 409, 422, 503, 504) },
      },
    },
    async (request) => {
      const b = request.body as Record<string, string | number | boolean | null | undefined>;
      const text = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : undefined);
      const num = (k: string) => (typeof b[k] === "number" ? (b[k] as number) : undefined);
      const { address } = await users.updateAddress(
        {
          addressId: request.params.id,
          label: text("label"),
          recipient: text("recipient"),
          phone: text("phone"),
          street: text("street"),
          district: text("district"),
          city: text("city"),
          province: text("province"),
          postalCode: text("postal_code"),
          latitude: num("lat"),
          longitude: num("lng"),
          clearLocation: b.lat === null || b.lng === null,
          isDefault: typeof b.is_default === "boolean" ? b.is_default : undefined,
        },
        as(request),
      );
      return addressJson(address);
    },
  );

  app.delete<{ Params: Static<typeof AddressParams> }>(
    "/api/v1/me/addresses/:id",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Delete an address (the newest remaining one becomes the default)",
        params: AddressParams,
        response: { 204: { type: "null", description: "deleted" }, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request, reply) => {
      await users.deleteAddress({ addressId: request.params.id }, as(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: Static<typeof PageQuery> }>(
    "/api/v1/me/wishlist",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Wishlist, newest first",
        querystring: PageQuery,
        response: { 200: WishlistList, ...problems(401, 403, 422, 503, 504) },
      },
    },
    async (request) => {
      const res = await users.listWishlist({ page: pageRequest(request.query) }, as(request));
      return listResponse(res.items.map(wishlistJson), res.page);
    },
  );

  app.put<{ Params: Static<typeof ProductParams> }>(
    "/api/v1/me/wishlist/:product_id",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Add a product to the wishlist (idempotent)",
        params: ProductParams,
        response: { 200: WishlistItemView, ...problems(401, 403, 409, 422, 503, 504) },
      },
    },
    async (request) =>
      wishlistJson((await users.addToWishlist({ productId: request.params.product_id }, as(request))).item),
  );

  app.delete<{ Params: Static<typeof ProductParams> }>(
    "/api/v1/me/wishlist/:product_id",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Remove a product from the wishlist (idempotent)",
        params: ProductParams,
        response: { 204: { type: "null", description: "removed" }, ...problems(401, 403, 422, 503, 504) },
      },
    },
    async (request, reply) => {
      await users.removeFromWishlist({ productId: request.params.product_id }, as(request));
      return reply.code(204).send();
    },
  );
}
