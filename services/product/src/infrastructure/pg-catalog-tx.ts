import { DomainError } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { CatalogEvents, CatalogTx, UnitOfWork } from "../application/ports.ts";
import { scheduleFromRow } from "./pg-catalog-reads.ts";
import { selectProducts, shopFromRow, variantFromJson } from "./product-rows.ts";
import type { ProductDatabase } from "./schema.ts";

type Trx = Transaction<ProductDatabase>;

/** Durable timers, written in the caller's transaction (the kit's timer table). */
export interface TimerWriter {
  schedule(trx: Trx, kind: string, key: string, dueAt: Date, payload: unknown): Promise<void>;
}

/** Timer kinds this service registers handlers for. */
export const TIMER_KINDS = {
  priceCheck: "product.price-check",
  sellerGrant: "product.grant-seller",
} as const;

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === "23505" && e.constraint === constraint;
}

/** The write side of one transaction. */
export function catalogTx(trx: Trx, events: (trx: Trx) => CatalogEvents, timers: TimerWriter): CatalogTx {
  return {
    shops: {
      async insert(shop) {
        try {
          const row = await trx
            .insertInto("shops")
            .values({
              id: shop.id,
              owner_id: shop.ownerId,
              slug: shop.slug,
              name: shop.name,
              city: shop.city,
              province: shop.province,
              description: shop.description,
              status: "open",
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          return shopFromRow(row);
        } catch (error) {
          if (isUniqueViolation(error, "shops_slug_key")) {
            throw new DomainError("conflict", "SLUG_TAKEN", "that shop address is taken", [
              { field: "slug", message: "is taken" },
            ]);
          }
          if (isUniqueViolation(error, "shops_owner_id_key")) {
            throw new DomainError("conflict", "SHOP_ALREADY_OPEN", "you already have a shop");
          }
          throw error;
        }
      },
      async byOwner(ownerId) {
        const row = await trx
          .selectFrom("shops")
          .selectAll()
          .where("owner_id", "=", ownerId)
          .executeTakeFirst();
        return row ? shopFromRow(row) : null;
      },
      async byId(id) {
        const row = await trx.selectFrom("shops").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? shopFromRow(row) : null;
      },
      async markSellerGranted(id) {
        await trx.updateTable("shops").set({ seller_role_granted: true }).where("id", "=", id).execute();
      },
      async addRating(id, stars) {
        await trx
          .updateTable("shops")
          .set((eb) => ({
            rating_sum: eb("rating_sum", "+", stars),
            rating_count: eb("rating_count", "+", 1),
          }))
          .where("id", "=", id)
          .execute();
      },
    },
    products: {
      async lock(id) {
        const [record] = await selectProducts(
          trx,
          new Date(),
          sql`WHERE p.id = ${id} FOR UPDATE OF p`,
          false,
        );
        return record ?? null;
      },
      async insert(id, shopId, d, now) {
        await trx
          .insertInto("products")
          .values({
            id,
            shop_id: shopId,
            category_id: Number(d.categoryId),
            title: d.title,
            description: d.description,
            condition: d.condition ?? "new",
            weight_grams: d.weightGrams,
            length_cm: d.lengthCm,
            width_cm: d.widthCm,
            height_cm: d.heightCm,
            min_order: d.minOrder,
            images: d.images,
            attributes: JSON.stringify(d.attributes),
            status: d.status,
            created_at: now,
            updated_at: now,
          })
          .execute();
      },
      async update(id, d, now) {
        await trx
          .updateTable("products")
          .set({
            category_id: Number(d.categoryId),
            title: d.title,
            description: d.description,
            condition: d.condition ?? "new",
            weight_grams: d.weightGrams,
            length_cm: d.lengthCm,
            width_cm: d.widthCm,
            height_cm: d.heightCm,
            min_order: d.minOrder,
            images: d.images,
            attributes: JSON.stringify(d.attributes),
            status: d.status,
            updated_at: now,
          })
          .where("id", "=", id)
          .execute();
      },
      async setStatus(id, status, now) {
        await trx
          .updateTable("products")
          .set({ status, updated_at: now, archived_at: status === "archived" ? now : null })
          .where("id", "=", id)
          .execute();
      },
      async saveVariants(productId, shopId, variants) {
        const keep = variants.map((v) => v.id);
        let retire = trx.updateTable("variants").set({ active: false }).where("product_id", "=", productId);
        if (keep.length > 0) retire = retire.where("id", "not in", keep);
        await retire.execute();
        for (const v of variants) {
          try {
            await trx
              .insertInto("variants")
              .values({
                id: v.id,
                product_id: productId,
                shop_id: shopId,
                sku: v.sku,
                options: JSON.stringify(v.options),
                base_price: v.basePrice,
                current_price: v.currentPrice,
                current_schedule_id: v.currentScheduleId,
                position: v.position,
                active: true,
              })
              .onConflict((oc) =>
                oc.column("id").doUpdateSet({
                  sku: v.sku,
                  options: JSON.stringify(v.options),
                  base_price: v.basePrice,
                  position: v.position,
                  active: true,
                }),
              )
              .execute();
          } catch (error) {
            if (isUniqueViolation(error, "variants_shop_sku")) {
              throw new DomainError("conflict", "SKU_TAKEN", `SKU ${v.sku} is already used in this shop`, [
                { field: `variants[${v.position}].sku`, message: "is already used in this shop" },
              ]);
            }
            throw error;
          }
        }
      },
      async addRating(id, stars) {
        const row = await trx
          .updateTable("products")
          .set((eb) => ({
            rating_sum: eb("rating_sum", "+", stars),
            rating_count: eb("rating_count", "+", 1),
          }))
          .where("id", "=", id)
          .returning(["rating_sum", "rating_count"])
          .executeTakeFirstOrThrow();
        return { sum: row.rating_sum, count: row.rating_count };
      },
      async addSold(id, quantity) {
        await trx
          .updateTable("products")
          .set((eb) => ({ sold_count: eb("sold_count", "+", quantity) }))
          .where("id", "=", id)
          .execute();
      },
    },
    pricing: {
      async lockVariant(variantId) {
        const row = await trx
          .selectFrom("variants")
          .selectAll()
          .where("id", "=", variantId)
          .forUpdate()
          .executeTakeFirst();
        if (!row) return null;
        return variantFromJson(row as never, row.product_id, row.shop_id);
      },
      async schedulesOf(variantId) {
        const rows = await trx
          .selectFrom("price_schedules")
          .selectAll()
          .where("variant_id", "=", variantId)
          .execute();
        return rows.map(scheduleFromRow);
      },
      async insertSchedule(s) {
        await trx
          .insertInto("price_schedules")
          .values({
            id: s.id,
            product_id: s.productId,
            variant_id: s.variantId,
            price: s.price,
            percent_off: s.percentOff,
            starts_at: s.startsAt,
            ends_at: s.endsAt,
            created_at: s.createdAt,
          })
          .execute();
      },
      async setCurrentPrice(variantId, price, scheduleId) {
        await trx
          .updateTable("variants")
          .set({ current_price: price, current_schedule_id: scheduleId })
          .where("id", "=", variantId)
          .execute();
      },
      async recordHistory(c) {
        await trx
          .insertInto("price_history")
          .values({
            product_id: c.productId,
            variant_id: c.variantId,
            price: c.price,
            previous_price: c.previousPrice,
            reason: c.reason,
            schedule_id: c.scheduleId,
            changed_at: c.effectiveAt,
          })
          .execute();
      },
    },
    reviews: {
      async purchasedLines(buyerId, productId) {
        const rows = await trx
          .selectFrom("purchased_lines")
          .selectAll()
          .where("buyer_id", "=", buyerId)
          .where("product_id", "=", productId)
          .forUpdate()
          .execute();
        return rows.map((r) => ({
          orderId: r.order_id,
          lineId: r.line_id,
          buyerId: r.buyer_id,
          productId: r.product_id,
          variantId: r.variant_id,
          completedAt: r.completed_at,
          reviewed: r.review_id !== null,
        }));
      },
      async recordPurchases(order) {
        // Only lines of products this catalog knows; a redelivered order inserts nothing new.
        const values = order.lines.map(
          (l) =>
            sql`(${order.orderId}, ${l.lineId}, ${order.buyerId}, ${order.shopId}, ${l.productId}::uuid, ${l.variantId}, ${l.quantity}::int, ${order.completedAt}::timestamptz)`,
        );
        const { rows } = await sql<{ product_id: string; quantity: number }>`
          INSERT INTO purchased_lines (order_id, line_id, buyer_id, shop_id, product_id, variant_id, quantity, completed_at)
          SELECT v.* FROM (VALUES ${sql.join(values)}) AS v (order_id, line_id, buyer_id, shop_id, product_id, variant_id, quantity, completed_at)
          WHERE EXISTS (SELECT 1 FROM products p WHERE p.id = v.product_id)
          ON CONFLICT DO NOTHING
          RETURNING product_id, quantity`.execute(trx);
        for (const r of rows) {
          await trx
            .updateTable("products")
            .set((eb) => ({ sold_count: eb("sold_count", "+", r.quantity) }))
            .where("id", "=", r.product_id)
            .execute();
        }
        return rows.length;
      },
      async insert(review) {
        try {
          await trx
            .insertInto("reviews")
            .values({
              id: review.id,
              product_id: review.productId,
              shop_id: review.shopId,
              buyer_id: review.buyerId,
              order_id: review.orderId,
              line_id: review.lineId,
              rating: review.rating,
              text: review.text,
              variant_label: review.variantLabel,
              created_at: review.createdAt,
            })
            .execute();
        } catch (error) {
          if (isUniqueViolation(error, "reviews_order_id_line_id_key")) {
            throw new DomainError("conflict", "ALREADY_REVIEWED", "this purchase has been reviewed");
          }
          throw error;
        }
        await trx
          .updateTable("purchased_lines")
          .set({ review_id: review.id })
          .where("order_id", "=", review.orderId)
          .where("line_id", "=", review.lineId)
          .execute();
      },
    },
    events: events(trx),
    timers: {
      priceCheck: (variantId, at) =>
        timers.schedule(trx, TIMER_KINDS.priceCheck, `${variantId}@${at.toISOString()}`, at, { variantId }),
      sellerGrant: (shopId, at) => timers.schedule(trx, TIMER_KINDS.sellerGrant, shopId, at, { shopId }),
    },
  };
}

/** A unit of work over the product database. */
export function pgUnitOfWork(
  db: Kysely<ProductDatabase>,
  events: (trx: Trx) => CatalogEvents,
  timers: TimerWriter,
): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(catalogTx(trx, events, timers))) };
}
