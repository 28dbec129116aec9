import { status as grpcStatus } from "@grpc/grpc-js";
import { type OrderServiceServer, OrderServiceService } from "@toko/contracts/toko/order/v1/order";
import {
  type CallContext,
  DomainError,
  type ImplementedService,
  implement,
  RemoteCallError,
  requireActingAs,
  requirePrincipal,
} from "@toko/kit";
import { checkout } from "../application/checkout.ts";
import {
  acceptBySeller,
  cancelByBuyer,
  completeByBuyer,
  rejectBySeller,
  shipBySeller,
} from "../application/lifecycle.ts";
import type { OrderDeps } from "../application/ports.ts";
import { getOrder, listBuyerOrders, listShopOrders, sellerBalance } from "../application/queries.ts";
import { approveReturn, receiveReturn, rejectReturn, requestReturn } from "../application/returns.ts";
import { paymentToProto } from "../infrastructure/order-events.ts";
import { orderToProto, returnToProto } from "./mapping.ts";

const idr = (amount: number) => ({ amount, currency: "IDR" });
const pageToProto = (page: Awaited<ReturnType<typeof listBuyerOrders>>) => ({
  orders: page.items.map((v) => orderToProto(v.order, v.returns)),
  page: { nextCursor: page.nextCursor },
});

/**
 * A service the order service calls being down or too slow is UNAVAILABLE for the caller (503
 * with Retry-After at the edge), not an internal error: every step is idempotent, so the same
 * request (the same Idempotency-Key) can simply be sent again.
 */
function retryable<T extends object>(handlers: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (
          error instanceof RemoteCallError &&
          (status === grpcStatus.UNAVAILABLE || status === grpcStatus.DEADLINE_EXCEEDED)
        )
          throw new DomainError(
            "unavailable",
            "SERVICE_UNAVAILABLE",
            "a service this needs is unavailable; retry the request",
          );
        throw error;
      }
    };
  }
  return wrapped as T;
}

/** `toko.order.v1.OrderService`: proto in, use case, proto out. */
export function orderGrpcService(deps: OrderDeps): ImplementedService {
  const buyer = (ctx: CallContext) => requirePrincipal(ctx).subject;
  /** The seller's shop: acting as a seller, resolved through product.GetMyShop. */
  const shopOf = async (ctx: CallContext) => {
    requireActingAs(ctx.principal, "seller");
    return deps.catalog.callerShopId();
  };
  const withOrder = async (orderId: string, userId: string) => {
    const view = await getOrder(deps, userId, orderId, async () => null);
    return orderToProto(view.order, view.returns);
  };
  return implement<OrderServiceServer>(
    OrderServiceService,
    retryable({
      async checkout(req, ctx) {
        const view = await checkout(deps, buyer(ctx), {
          idempotencyKey: req.idempotencyKey,
          addressId: req.addressId,
          shipping: req.shipping.map((s) => ({ shopId: s.shopId, optionId: s.optionId })),
          paymentMethod: req.paymentMethod,
          paymentChannel: req.paymentChannel,
          voucherCodes: req.overrideVouchers ? req.voucherCodes : null,
        });
        const p = view.checkout.payment;
        return {
          checkoutId: view.checkout.id,
          orders: view.orders.map((o) => orderToProto(o)),
          payment: p ? paymentToProto(p) : undefined,
          paymentStatus: view.checkout.paymentStatus ?? "PENDING",
        };
      },
      async getOrder(req, ctx) {
        const userId = buyer(ctx);
        const view = await getOrder(deps, userId, req.orderId, async () => {
          const p = ctx.principal;
          if (!p?.roles.includes("seller") || !p.scopes.includes("seller")) return null;
          return deps.catalog.callerShopId().catch(() => null);
        });
        return { order: orderToProto(view.order, view.returns) };
      },
      async listOrders(req, ctx) {
        const page = await listBuyerOrders(
          deps,
          buyer(ctx),
          req.status,
          req.page?.cursor ?? "",
          req.page?.limit ?? 0,
        );
        return pageToProto(page);
      },
      async cancelOrder(req, ctx) {
        const userId = buyer(ctx);
        await cancelByBuyer(deps, userId, req.orderId);
        return { order: await withOrder(req.orderId, userId) };
      },
      async completeOrder(req, ctx) {
        const userId = buyer(ctx);
        await completeByBuyer(deps, userId, req.orderId);
        return { order: await withOrder(req.orderId, userId) };
      },
      async requestReturn(req, ctx) {
        const userId = buyer(ctx);
        const { ret } = await requestReturn(
          deps,
          userId,
          req.orderId,
          req.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
          req.reason,
        );
        return { return: returnToProto(ret), order: await withOrder(req.orderId, userId) };
      },
      async listShopOrders(req, ctx) {
        const page = await listShopOrders(
          deps,
          await shopOf(ctx),
          req.status,
          req.page?.cursor ?? "",
          req.page?.limit ?? 0,
        );
        return pageToProto(page);
      },
      async acceptOrder(req, ctx) {
        return { order: orderToProto(await acceptBySeller(deps, await shopOf(ctx), req.orderId)) };
      },
      async rejectOrder(req, ctx) {
        return { order: orderToProto(await rejectBySeller(deps, await shopOf(ctx), req.orderId)) };
      },
      async shipOrder(req, ctx) {
        const order = await shipBySeller(deps, await shopOf(ctx), req.orderId, req.pickupSlotId);
        return { order: orderToProto(order), shipment: order.shipment ?? undefined };
      },
      async approveReturn(req, ctx) {
        return { return: returnToProto(await approveReturn(deps, await shopOf(ctx), req.returnId)) };
      },
      async rejectReturn(req, ctx) {
        return {
          return: returnToProto(await rejectReturn(deps, await shopOf(ctx), req.returnId, req.reason)),
        };
      },
      async receiveReturn(req, ctx) {
        const amount = req.refundAmount ? Number(req.refundAmount.amount) : null;
        return { return: returnToProto(await receiveReturn(deps, await shopOf(ctx), req.returnId, amount)) };
      },
      async getSellerBalance(_req, ctx) {
        const b = await sellerBalance(deps, await shopOf(ctx));
        return {
          available: idr(b.available),
          pending: idr(b.pending),
          payouts: b.payouts.map((p) => ({
            orderId: p.orderId,
            gross: idr(p.gross),
            commission: idr(p.commission),
            net: idr(p.net),
            createdAt: p.createdAt,
          })),
        };
      },
    }),
  );
}
