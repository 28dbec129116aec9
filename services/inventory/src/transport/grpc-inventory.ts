import {
  type InventoryServiceServer,
  InventoryServiceService,
} from "@toko/contracts/toko/inventory/v1/inventory";
import {
  type CallContext,
  errors,
  type ImplementOptions,
  implement,
  requireActingAs,
  requireServiceNamed,
} from "@toko/kit";
import { requireService } from "../application/caller.ts";
import type { PageInput } from "../application/page.ts";
import type { ShopDirectory } from "../application/ports.ts";
import type { PurchaseOrders } from "../application/purchase-orders.ts";
import type { Reservations } from "../application/reservations.ts";
import type { Restocks } from "../application/restocks.ts";
import type { Seller } from "../application/shop-scope.ts";
import type { Stock } from "../application/stock.ts";
import type { Suppliers } from "../application/suppliers.ts";
import type { Warehouses } from "../application/warehouses.ts";
import {
  toLedgerEntry,
  toLevel,
  toPurchaseOrder,
  toReservation,
  toSupplier,
  toTransfer,
  toWarehouse,
} from "./mapping.ts";

export interface InventoryHandlersDeps {
  directory: ShopDirectory;
  warehouses: Warehouses;
  stock: Stock;
  suppliers: Suppliers;
  purchaseOrders: PurchaseOrders;
  reservations: Reservations;
  restocks: Restocks;
}

/** Reserve, Commit, Release (and GetReservation) are the checkout saga's: only a service principal; the ledger names it. */
function serviceActor(ctx: CallContext): string {
  return requireService(ctx.principal).subject;
}

/** A list request's page; an absent one is the first page at the default size. */
function pageOf(req: { page?: { limit: number; cursor: string } | undefined }): PageInput {
  return { limit: req.page?.limit ?? 0, cursor: req.page?.cursor ?? "" };
}

/** Callable without a principal: what product pages show of stock. Everything else names a seller or the saga. */
const publicMethods: ImplementOptions<InventoryServiceServer> = { anonymous: ["getAvailability"] };

/** The InventoryService gRPC handlers: proto in, use case, proto out. */
export function inventoryGrpcService(deps: InventoryHandlersDeps) {
  const { directory, warehouses, stock, suppliers, purchaseOrders, reservations, restocks } = deps;
  // The same rule as the catalog's product writes: the seller role AND the seller scope.
  const seller = async (ctx: CallContext): Promise<Seller> => {
    const principal = requireActingAs(ctx.principal, "seller");
    return { shopId: await directory.shopOf(principal), actor: principal.subject, principal };
  };
  const money = (m: { amount: number; currency: string } | undefined, field: string) => {
    if (m && m.currency !== "" && m.currency !== "IDR")
      throw errors.invalid("only IDR is supported", [{ field, message: "currency must be IDR" }]);
    return m?.amount ?? Number.NaN;
  };

  return implement<InventoryServiceServer>(InventoryServiceService, publicMethods, {
    async createWarehouse(req, ctx) {
      const s = await seller(ctx);
      const w = await warehouses.create(s.shopId, { ...req, isDefault: req.isDefault });
      return { warehouse: toWarehouse(w) };
    },
    async listWarehouses(req, ctx) {
      const s = await seller(ctx);
      const page = await warehouses.list(s.shopId, pageOf(req));
      return { warehouses: page.items.map(toWarehouse), page: { nextCursor: page.nextCursor } };
    },
    async listStockLevels(req, ctx) {
      const s = await seller(ctx);
      const page = await stock.levels(s.shopId, pageOf(req), req.sku || undefined);
      return { levels: page.items.map(toLevel), page: { nextCursor: page.nextCursor } };
    },
    async adjustStock(req, ctx) {
      const level = await stock.adjust(
        await seller(ctx),
        {
          sku: req.sku,
          warehouseId: req.warehouseId,
          delta: req.delta,
          reason: req.reason,
          isReturn: req.isReturn,
        },
        req.idempotencyKey ?? "",
      );
      return { level: toLevel(level) };
    },
    async transferStock(req, ctx) {
      const { idempotencyKey = "", ...input } = req;
      const t = await stock.transfer(await seller(ctx), input, idempotencyKey);
      return { transfer: toTransfer(t) };
    },
    async receiveTransfer(req, ctx) {
      return { transfer: toTransfer(await stock.receiveTransfer(await seller(ctx), req.transferId)) };
    },
    async setReorderPoint(req, ctx) {
      const r = await stock.setReorderPoint(await seller(ctx), req.sku, req.reorderPoint);
      return { sku: r.sku, reorderPoint: r.reorderPoint };
    },
    async listLedger(req, ctx) {
      const s = await seller(ctx);
      return { entries: (await stock.ledger(s.shopId, req.sku, req.limit)).map(toLedgerEntry) };
    },
    async createSupplier(req, ctx) {
      const s = await seller(ctx);
      return { supplier: toSupplier(await suppliers.create(s.shopId, req)) };
    },
    async listSuppliers(req, ctx) {
      const s = await seller(ctx);
      const page = await suppliers.list(s.shopId, pageOf(req));
      return { suppliers: page.items.map(toSupplier), page: { nextCursor: page.nextCursor } };
    },
    async getSupplierScorecard(req, ctx) {
      const s = await seller(ctx);
      return { scorecard: await suppliers.scorecard(s.shopId, req.supplierId) };
    },
    async createPurchaseOrder(req, ctx) {
      const po = await purchaseOrders.create(await seller(ctx), {
        supplierId: req.supplierId,
        warehouseId: req.warehouseId,
        lines: req.lines.map((l, i) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitCost: money(l.unitCost, `lines[${i}].unit_cost`),
        })),
      });
      return { purchaseOrder: toPurchaseOrder(po) };
    },
    async listPurchaseOrders(req, ctx) {
      const s = await seller(ctx);
      const page = await purchaseOrders.list(s.shopId, pageOf(req), req.supplierId || undefined);
      return { purchaseOrders: page.items.map(toPurchaseOrder), page: { nextCursor: page.nextCursor } };
    },
    async getPurchaseOrder(req, ctx) {
      const s = await seller(ctx);
      return { purchaseOrder: toPurchaseOrder(await purchaseOrders.get(s.shopId, req.id)) };
    },
    async sendPurchaseOrder(req, ctx) {
      return { purchaseOrder: toPurchaseOrder(await purchaseOrders.send(await seller(ctx), req.id)) };
    },
    async receivePurchaseOrder(req, ctx) {
      return {
        purchaseOrder: toPurchaseOrder(
          await purchaseOrders.receive(await seller(ctx), req.id, req.lines, req.idempotencyKey ?? ""),
        ),
      };
    },
    async closePurchaseOrder(req, ctx) {
      return { purchaseOrder: toPurchaseOrder(await purchaseOrders.close(await seller(ctx), req.id)) };
    },
    async cancelPurchaseOrder(req, ctx) {
      return { purchaseOrder: toPurchaseOrder(await purchaseOrders.cancel(await seller(ctx), req.id)) };
    },
    async reserve(req, ctx) {
      const actor = serviceActor(ctx);
      const r = await reservations.reserve(req.checkoutId, req.lines, req.ttlSeconds, actor);
      return { reservation: toReservation(r) };
    },
    async commit(req, ctx) {
      const actor = serviceActor(ctx);
      return { reservation: toReservation(await reservations.commit(req.checkoutId, actor)) };
    },
    async release(req, ctx) {
      const actor = serviceActor(ctx);
      return { reservation: toReservation(await reservations.release(req.checkoutId, actor)) };
    },
    async getReservation(req, ctx) {
      // A reservation names a checkout's lines and allocations: the saga's business, not a user's.
      requireService(ctx.principal);
      return { reservation: toReservation(await reservations.get(req.checkoutId)) };
    },
    async restock(req, ctx) {
      // Units of a paid order back into stock: the order service's business alone.
      const caller = requireServiceNamed(ctx, "order");
      const levels = await restocks.restock(
        req.idempotencyKey,
        { checkoutId: req.checkoutId, lines: req.lines, reason: req.reason },
        caller.subject,
      );
      return { levels: levels.map(toLevel) };
    },
    async getAvailability(req) {
      return { items: await stock.availability(req.items) };
    },
  });
}
