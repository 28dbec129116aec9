import type { Static } from "@sinclair/typebox";
import { type CartServiceClient, VoucherScope } from "@toko/contracts/toko/cart/v1/cart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { adminOnly, sellerOnly } from "../../auth/route-rules.ts";
import { listResponse, pageRequest } from "../../pagination.ts";
import type { Upstream } from "../../upstreams.ts";
import { CreateVoucherBody, Items, PageQuery, problems, VoucherView } from "./schemas.ts";
import { kindToProto, voucherJson } from "./views.ts";

const idr = (amount: number | undefined) => (amount === undefined ? undefined : { amount, currency: "IDR" });

/** Voucher management: platform vouchers for admins, shop vouchers for the shop's seller. */
export function registerVoucherRoutes(app: FastifyInstance, upstream: Upstream<CartServiceClient>): void {
  const cart = upstream.client;
  const opts = (request: FastifyRequest) => ({
    principal: request.principal as never,
    requestId: request.id,
  });
  const areas = [
    {
      path: "/api/v1/admin/vouchers",
      scope: VoucherScope.VOUCHER_SCOPE_PLATFORM,
      auth: adminOnly,
      tag: "Admin",
      what: "platform vouchers (any shop's lines)",
    },
    {
      path: "/api/v1/seller/vouchers",
      scope: VoucherScope.VOUCHER_SCOPE_SHOP,
      auth: sellerOnly,
      tag: "Seller",
      what: "the shop's vouchers (its own lines)",
    },
  ] as const;

  for (const area of areas) {
    app.get<{ Querystring: PageQuery }>(
      area.path,
      {
        config: { auth: area.auth },
        schema: {
          tags: [area.tag],
          security: [{ bearer: [] }],
          summary: `List ${area.what}, newest first (paged)`,
          querystring: PageQuery,
          response: { 200: Items(VoucherView), ...problems(401, 403, 422, 503) },
        },
      },
      async (request) => {
        const res = await cart.listVouchers(
          { scope: area.scope, page: pageRequest(request.query) },
          opts(request),
        );
        return listResponse(res.vouchers.map(voucherJson), res.page);
      },
    );

    app.post<{ Body: Static<typeof CreateVoucherBody> }>(
      area.path,
      {
        // A retried create answers the voucher it made, not VOUCHER_CODE_TAKEN.
        config: { auth: area.auth, idempotent: true },
        schema: {
          tags: [area.tag],
          security: [{ bearer: [] }],
          summary: `Create one of ${area.what}: percent (capped by max_discount), fixed or free_shipping (platform only); valid from starts_at until ends_at (exclusive)`,
          body: CreateVoucherBody,
          response: { 201: VoucherView, ...problems(400, 401, 403, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const res = await cart.createVoucher(
          {
            code: b.code,
            scope: area.scope,
            kind: kindToProto(b.kind),
            percentOff: b.percent_off ?? 0,
            amount: idr(b.amount),
            maxDiscount: idr(b.max_discount),
            minSpend: idr(b.min_spend ?? 0),
            startsAt: b.starts_at === undefined ? undefined : new Date(b.starts_at),
            endsAt: new Date(b.ends_at),
            totalLimit: b.total_limit ?? 0,
            perUserLimit: b.per_user_limit ?? 0,
          },
          opts(request),
        );
        return reply.code(201).send(voucherJson(res.voucher));
      },
    );
  }
}
