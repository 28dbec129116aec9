import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { OrderCompleted } from "@toko/contracts/toko/order/v1/events";
import {
  PriceChanged,
  ProductArchived,
  ProductCreated,
  ProductUpdated,
  ReviewPosted,
} from "@toko/contracts/toko/product/v1/events";
import { type EventConsumers, payloadOf } from "@toko/kit";
import { pgProjection } from "../infrastructure/pg-projection.ts";
import type { SearchDatabase } from "../infrastructure/schema.ts";
import { docFromProduct } from "./product-mapping.ts";

/** Consumer groups of the projection. */
export const EVENT_GROUPS = {
  catalog: "search.catalog",
  stock: "search.stock",
  orders: "search.orders",
} as const;

/**
 * Keeps the projection current, each write in the consumer's transaction with its inbox row (a
 * redelivered event changes nothing; events missed while the service was down are delivered when
 * it is back): product state, archival, prices and ratings; stock; completed orders (sales,
 * purchases, bought-together pairs).
 */
export function subscribeEvents(consumers: EventConsumers<SearchDatabase>): void {
  consumers.subscribe(
    EVENT_GROUPS.catalog,
    [
      "toko.product.v1.ProductCreated",
      "toko.product.v1.ProductUpdated",
      "toko.product.v1.ProductArchived",
      "toko.product.v1.PriceChanged",
      "toko.product.v1.ReviewPosted",
    ],
    async (event, trx) => {
      const projection = pgProjection(trx);
      switch (event.type) {
        case "toko.product.v1.ProductCreated": {
          const { product } = payloadOf(event, ProductCreated);
          if (product) await projection.upsertProduct(docFromProduct(product));
          return;
        }
        case "toko.product.v1.ProductUpdated": {
          const { product } = payloadOf(event, ProductUpdated);
          if (product) await projection.upsertProduct(docFromProduct(product));
          return;
        }
        case "toko.product.v1.ProductArchived": {
          const a = payloadOf(event, ProductArchived);
          await projection.archive(a.productId, a.archivedAt ?? event.occurredAt ?? new Date());
          return;
        }
        case "toko.product.v1.PriceChanged": {
          const c = payloadOf(event, PriceChanged);
          await projection.setVariantPrice(
            c.variantId,
            Number(c.price?.amount ?? 0),
            c.effectiveAt ?? event.occurredAt ?? new Date(),
          );
          return;
        }
        case "toko.product.v1.ReviewPosted": {
          const r = payloadOf(event, ReviewPosted);
          if (r.productRating) {
            await projection.setRating(r.productId, r.productRating.average, Number(r.productRating.count));
          }
          return;
        }
      }
    },
  );
  consumers.subscribe(EVENT_GROUPS.stock, ["toko.inventory.v1.StockChanged"], async (event, trx) => {
    const s = payloadOf(event, StockChanged);
    await pgProjection(trx).recordStock(
      s.shopId,
      s.sku,
      Number(s.available),
      s.occurredAt ?? event.occurredAt ?? new Date(),
    );
  });
  consumers.subscribe(EVENT_GROUPS.orders, ["toko.order.v1.OrderCompleted"], async (event, trx) => {
    const o = payloadOf(event, OrderCompleted);
    await pgProjection(trx).recordCompletedOrder({
      checkoutId: o.checkoutId || o.orderId,
      buyerId: o.buyerId,
      completedAt: o.completedAt ?? event.occurredAt ?? new Date(),
      lines: o.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    });
  });
}
