import {
  PriceChanged,
  ProductArchived,
  ProductCreated,
  ProductUpdated,
  ReviewPosted,
} from "@toko/contracts/toko/product/v1/events";
import { createOutbox, protoEvent } from "@toko/kit";
import type { Transaction } from "kysely";
import type { CatalogEvents } from "../application/ports.ts";
import type { ProductDatabase } from "../infrastructure/schema.ts";
import { idr, productToProto } from "./proto-mapping.ts";

const outbox = createOutbox("product");
const type = (name: string) => `toko.product.v1.${name}`;

/** The catalog's integration events, written to the outbox of `trx` (subject = product id). */
export function outboxEvents(trx: Transaction<ProductDatabase>): CatalogEvents {
  const add = async (...events: Parameters<typeof outbox.add>[1]) => {
    await outbox.add(trx, events);
  };
  return {
    productCreated: (p) =>
      add(protoEvent(type("ProductCreated"), p.id, ProductCreated, { product: productToProto(p) })),
    productUpdated: (p) =>
      add(protoEvent(type("ProductUpdated"), p.id, ProductUpdated, { product: productToProto(p) })),
    productArchived: (productId, shopId, at) =>
      add(
        protoEvent(type("ProductArchived"), productId, ProductArchived, {
          productId,
          shopId,
          archivedAt: at,
        }),
      ),
    priceChanged: (c) =>
      add(
        protoEvent(type("PriceChanged"), c.productId, PriceChanged, {
          productId: c.productId,
          variantId: c.variantId,
          sku: c.sku,
          shopId: c.shopId,
          previousPrice: c.previousPrice === null ? undefined : idr(c.previousPrice),
          price: idr(c.price),
          basePrice: idr(c.basePrice),
          reason: c.reason,
          scheduleId: c.scheduleId ?? "",
          effectiveAt: c.effectiveAt,
        }),
      ),
    reviewPosted: (r, rating) =>
      add(
        protoEvent(type("ReviewPosted"), r.productId, ReviewPosted, {
          reviewId: r.id,
          productId: r.productId,
          shopId: r.shopId,
          buyerId: r.buyerId,
          rating: r.rating,
          text: r.text,
          productRating: rating,
          createdAt: r.createdAt,
        }),
      ),
  };
}
