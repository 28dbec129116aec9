import { errors, type FieldViolation } from "@toko/kit/errors";

/**
 * The overlap rule, in one place: at instant `t` every schedule with `startsAt <= t < endsAt`
 * (an absent end never closes) is running; the effective price is the LOWEST of the base price
 * and every running schedule's price. A discount can therefore never raise a price, and a
 * flash sale inside a longer promotion wins only while it is actually cheaper. Ties between
 * schedules go to the latest-starting one, then the latest-created one, so the answer is
 * deterministic. Start is inclusive and end exclusive: at `endsAt` the schedule is over.
 */
export interface ScheduleTerms {
  id: string;
  /** A fixed price in rupiah, or null for a percent discount. */
  price: number | null;
  /** 1–99 percent off the base price (rounded down to whole rupiah), or null. */
  percentOff: number | null;
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
}

export interface PricedAt {
  price: number;
  /** The schedule that sets the price; null when the base price applies. */
  scheduleId: string | null;
}

/** The price a schedule asks for, given the base price. Never below 1 rupiah. */
export function schedulePrice(
  basePrice: number,
  schedule: Pick<ScheduleTerms, "price" | "percentOff">,
): number {
  if (schedule.price !== null) return schedule.price;
  const percent = schedule.percentOff ?? 0;
  // Integer arithmetic: floor(base * (100 - p) / 100) is exact for amounts far below 2^53 / 100.
  return Math.max(1, Math.floor((basePrice * (100 - percent)) / 100));
}

/** Whether the schedule is running at `t` (start inclusive, end exclusive). */
export function isRunning(schedule: Pick<ScheduleTerms, "startsAt" | "endsAt">, t: Date): boolean {
  const at = t.getTime();
  return schedule.startsAt.getTime() <= at && (schedule.endsAt === null || at < schedule.endsAt.getTime());
}

/** The effective price of a variant at instant `t` under the overlap rule above. */
export function effectivePrice(
  variant: { basePrice: number },
  schedules: readonly ScheduleTerms[],
  t: Date,
): PricedAt {
  let best: PricedAt = { price: variant.basePrice, scheduleId: null };
  let bestSchedule: ScheduleTerms | null = null;
  for (const schedule of schedules) {
    if (!isRunning(schedule, t)) continue;
    const price = schedulePrice(variant.basePrice, schedule);
    if (price > best.price) continue;
    if (price === best.price) {
      // Equal to the base price: a discount that discounts nothing is not "in effect".
      if (bestSchedule === null) continue;
      if (!isLater(schedule, bestSchedule)) continue;
    }
    best = { price, scheduleId: schedule.id };
    bestSchedule = schedule;
  }
  return best;
}

function isLater(a: ScheduleTerms, b: ScheduleTerms): boolean {
  const byStart = a.startsAt.getTime() - b.startsAt.getTime();
  if (byStart !== 0) return byStart > 0;
  const byCreation = a.createdAt.getTime() - b.createdAt.getTime();
  if (byCreation !== 0) return byCreation > 0;
  return a.id > b.id;
}

/** The largest price the catalog accepts: Rp 10 billion. */
export const MAX_PRICE = 10_000_000_000;

/** Checks a price in rupiah; returns a violation for `field` or null. */
export function priceViolation(field: string, amount: number, currency: string): FieldViolation | null {
  if (currency !== "" && currency !== "IDR") return { field, message: "currency must be IDR" };
  if (!Number.isSafeInteger(amount) || amount < 1)
    return { field, message: "must be a whole number of rupiah ≥ 1" };
  if (amount > MAX_PRICE) return { field, message: `must be at most ${MAX_PRICE}` };
  return null;
}

export interface NewSchedule {
  price: number | null;
  percentOff: number | null;
  startsAt: Date;
  endsAt: Date | null;
}

/**
 * Validates a new schedule for a variant with `basePrice`, at `now`. A start in the past is
 * moved to `now`: a schedule cannot rewrite prices already charged.
 */
export function checkNewSchedule(input: NewSchedule, basePrice: number, now: Date): NewSchedule {
  const violations: FieldViolation[] = [];
  if ((input.price === null) === (input.percentOff === null)) {
    violations.push({ field: "price", message: "give exactly one of price and percent_off" });
  } else if (input.price !== null) {
    const v = priceViolation("price", input.price, "IDR");
    if (v) violations.push(v);
    else if (input.price >= basePrice) {
      violations.push({ field: "price", message: `must be below the base price ${basePrice}` });
    }
  } else if (
    !Number.isInteger(input.percentOff) ||
    (input.percentOff ?? 0) < 1 ||
    (input.percentOff ?? 0) > 99
  ) {
    violations.push({ field: "percent_off", message: "must be a whole percent from 1 to 99" });
  }
  if (Number.isNaN(input.startsAt.getTime())) violations.push({ field: "starts_at", message: "is required" });
  const startsAt = input.startsAt.getTime() < now.getTime() ? now : input.startsAt;
  if (input.endsAt !== null) {
    if (Number.isNaN(input.endsAt.getTime()))
      violations.push({ field: "ends_at", message: "is not a valid time" });
    else if (input.endsAt.getTime() <= startsAt.getTime()) {
      violations.push({ field: "ends_at", message: "must be after starts_at and in the future" });
    }
  }
  if (violations.length > 0) throw errors.invalid("the price schedule is invalid", violations);
  return { ...input, startsAt };
}
