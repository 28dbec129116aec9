import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { OrderCancelled, OrderPaid } from "@toko/contracts/toko/order/v1/events";
import { PriceChanged, ProductArchived, ProductUpdated } from "@toko/contracts/toko/product/v1/events";
import { type EventConsumers, payloadOf } from "@toko/kit";
import { productUpdated } from "../application/catalog-sync.ts";
import { type OrderFacts, orderCancelled, orderPaid } from "../application/order-effects.ts";
import type { Clock } from "../application/ports.ts";
import { cartTx } from "../infrastructure/pg-cart-tx.ts";
import { pgCatalogWrites } from "../infrastructure/pg-catalog-writes.ts";
import { stateFromProduct, statusWord } from "../infrastructure/product-mapping.ts";
import type { CartDatabase } from "../infrastructure/schema.ts";

/** Consumer groups of the cart's event handlers. */
export const EVENT_GROUPS = { catalog: "cart.catalog", stock: "cart.stock", orders: "cart.orders" } as const;

const orderFacts = (o: OrderPaid | OrderCancelled): OrderFacts => ({
  checkoutId: o.checkoutId,
  buyerId: o.buyerId,
  shopId: o.shopId,
  lines: o.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
  voucherCodes: o.voucherCodes,
});

/**
 * Subscribes the cart's projections and effects, each written in the consumer's transaction
 * with its inbox row (a redelivered event changes nothing): product prices, details and
 * archival; inventory stock; orders paid (bought lines leave, voucher uses final) and cancelled
 * (voucher uses given back).
 */
export function subscribeEvents(consumers: EventConsumers<CartDatabase>, clock: Clock): void {
  consumers.subscribe(
    EVENT_GROUPS.catalog,
    ["toko.product.v1.PriceChanged", "toko.product.v1.ProductUpdated", "toko.product.v1.ProductArchived"],
    async (event, trx) => {
      const catalog = pgCatalogWrites(trx);
      const now = clock.now();
      if (event.type === "toko.product.v1.PriceChanged") {
        const change = payloadOf(event, PriceChanged);
        await catalog.setPrice(change.variantId, change.price?.amount ?? 0, now);
      } else if (event.type === "toko.product.v1.ProductArchived") {
        await catalog.setProductStatus(payloadOf(event, ProductArchived).productId, "archived", now);
      } else {
        const { product } = payloadOf(event, ProductUpdated);
        if (!product) return;
        await productUpdated(
          catalog,
          { productId: product.id, status: statusWord(product.status), ...stateFromProduct(product) },
          now,
        );
      }
    },
  );
  consumers.subscribe(EVENT_GROUPS.stock, ["toko.inventory.v1.StockChanged"], async (event, trx) => {
    const s = payloadOf(event, StockChanged);
    await pgCatalogWrites(trx).recordStock(
      s.shopId,
      s.sku,
      s.available,
      s.reorderPoint,
      s.occurredAt ?? event.occurredAt ?? clock.now(),
    );
  });
  consumers.subscribe(
    EVENT_GROUPS.orders,
    ["toko.order.v1.OrderPaid", "toko.order.v1.OrderCancelled"],
    async (event, trx) => {
      if (event.type === "toko.order.v1.OrderPaid") {
        await orderPaid(cartTx(trx), orderFacts(payloadOf(event, OrderPaid)), clock.now());
      } else {
        await orderCancelled(cartTx(trx), orderFacts(payloadOf(event, OrderCancelled)));
      }
    },
  );
}
