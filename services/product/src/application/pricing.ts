import { errors, type Principal } from "@toko/kit";
import { checkNewSchedule, effectivePrice } from "../domain/pricing.ts";
import type { CatalogDeps } from "./deps.ts";
import { checkId, pageLimit } from "./ids.ts";
import type { Page, PriceChange, PriceHistoryEntry, ScheduleRecord, VariantRecord } from "./model.ts";
import { loadOwned } from "./ownership.ts";
import type { CatalogTx } from "./ports.ts";

/**
 * Brings a variant's applied price in line with the rule at `now`: when the effective price
 * moved, stores it, appends to the history and publishes `PriceChanged`, all in `tx`.
 */
export async function reprice(
  tx: CatalogTx,
  variant: VariantRecord,
  now: Date,
  reason: PriceChange["reason"] | null,
): Promise<PriceChange | null> {
  const schedules = await tx.pricing.schedulesOf(variant.id);
  const { price, scheduleId } = effectivePrice(variant, schedules, now);
  if (price === variant.currentPrice && scheduleId === variant.currentScheduleId) return null;
  await tx.pricing.setCurrentPrice(variant.id, price, scheduleId);
  if (price === variant.currentPrice) return null;
  const change: PriceChange = {
    productId: variant.productId,
    variantId: variant.id,
    sku: variant.sku,
    shopId: variant.shopId,
    previousPrice: variant.currentPrice,
    price,
    basePrice: variant.basePrice,
    reason: reason ?? (scheduleId === null ? "schedule_ended" : "schedule_started"),
    scheduleId,
    effectiveAt: now,
  };
  await tx.pricing.recordHistory(change);
  await tx.events.priceChanged(change);
  return change;
}

/** Timer handler: a schedule of the variant starts or ends now (in the timer's transaction). */
export async function applyScheduledPrice(
  tx: CatalogTx,
  variantId: string,
  now: Date,
): Promise<PriceChange | null> {
  const variant = await tx.pricing.lockVariant(variantId);
  if (!variant) return null;
  return reprice(tx, variant, now, null);
}

export interface NewScheduleInput {
  productId: string;
  sku: string;
  price: number | null;
  percentOff: number | null;
  startsAt: Date;
  endsAt: Date | null;
}

/** Schedules a discount for one of the owner's variants; timers apply it at start and end. */
export async function createPriceSchedule(
  deps: CatalogDeps,
  principal: Principal,
  input: NewScheduleInput,
): Promise<ScheduleRecord> {
  const productId = checkId("product_id", input.productId);
  return deps.uow.run(async (tx) => {
    const product = await loadOwned(tx, principal, productId);
    const sku = input.sku.trim().toLowerCase();
    const variant = product.variants.find((v) => v.active && v.sku.toLowerCase() === sku);
    if (!variant)
      throw errors.invalid("no such SKU in this product", [
        { field: "sku", message: "is not a variant of this product" },
      ]);
    const now = deps.clock.now();
    const terms = checkNewSchedule(input, variant.basePrice, now);
    const schedule: ScheduleRecord = {
      ...terms,
      id: deps.newId(),
      productId,
      variantId: variant.id,
      createdAt: now,
    };
    await tx.pricing.insertSchedule(schedule);
    if (schedule.startsAt.getTime() > now.getTime())
      await tx.timers.priceCheck(variant.id, schedule.startsAt);
    if (schedule.endsAt) await tx.timers.priceCheck(variant.id, schedule.endsAt);
    const locked = await tx.pricing.lockVariant(variant.id);
    if (locked) await reprice(tx, locked, now, null);
    return schedule;
  });
}

/** The owner's schedules of a product, newest first. */
export async function listPriceSchedules(
  deps: CatalogDeps,
  principal: Principal,
  productId: string,
): Promise<ScheduleRecord[]> {
  const id = checkId("product_id", productId);
  await deps.uow.run((tx) => loadOwned(tx, principal, id));
  return deps.reads.schedulesOfProduct(id);
}

/** A product's effective-price changes, newest first (public: shoppers see price trends). */
export async function priceHistory(
  deps: CatalogDeps,
  productId: string,
  sku: string,
  page: { limit: number; cursor: string },
): Promise<Page<PriceHistoryEntry>> {
  const id = checkId("product_id", productId);
  const limit = pageLimit(page.limit);
  if (page.cursor !== "" && !/^\d{1,18}$/.test(page.cursor)) {
    throw errors.invalid("bad cursor", [{ field: "cursor", message: "is not a cursor from this list" }]);
  }
  const product = await deps.reads.product(id, deps.clock.now());
  if (!product || product.status === "draft") throw errors.notFound("product");
  return deps.reads.priceHistory(id, sku === "" ? null : sku, page.cursor === "" ? null : page.cursor, limit);
}
