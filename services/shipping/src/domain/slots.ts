/** A window of local hours in a day: [startHour, endHour). */
export interface HourWindow {
  startHour: number;
  endHour: number;
}

/** When a carrier's courier comes to pick a parcel up. */
export interface PickupRule {
  windows: readonly HourWindow[];
  /** Days offered, today included. */
  days: number;
  /** Whether the carrier picks up on Sundays. */
  sundays: boolean;
  /** A window must start at least this long after booking. */
  leadMinutes: number;
}

/** When a carrier delivers to a buyer who chose a window. */
export interface DeliverySlotRule {
  windows: readonly HourWindow[];
  /** Days offered from the earliest possible arrival. */
  days: number;
}

/** A booked or offered window, in UTC. */
export interface Slot {
  id: string;
  start: Date;
  end: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "20261205T020000Z": a compact UTC instant for slot ids. */
const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** A slot's id names its window, so a booking can be checked against the offered list. */
export function slotOf(start: Date, end: Date): Slot {
  return { id: `${compact(start)}-${compact(end)}`, start, end };
}

/** Local midnight (as a UTC instant) of the day `days` after the local day of `now`. */
function localMidnight(now: Date, utcOffsetHours: number, days: number): number {
  const local = now.getTime() + utcOffsetHours * HOUR;
  return Math.floor(local / DAY) * DAY + days * DAY - utcOffsetHours * HOUR;
}

function windowsOn(dayStart: number, windows: readonly HourWindow[]): Slot[] {
  return windows.map((w) =>
    slotOf(new Date(dayStart + w.startHour * HOUR), new Date(dayStart + w.endHour * HOUR)),
  );
}

/** The pickup windows from `now` on, in the origin's local time (UTC + offset). */
export function pickupSlots(rule: PickupRule, now: Date, utcOffsetHours: number): Slot[] {
  const earliest = now.getTime() + rule.leadMinutes * 60_000;
  const out: Slot[] = [];
  for (let d = 0; d < rule.days; d++) {
    const dayStart = localMidnight(now, utcOffsetHours, d);
    const weekday = new Date(dayStart + utcOffsetHours * HOUR).getUTCDay();
    if (weekday === 0 && !rule.sundays) continue;
    for (const slot of windowsOn(dayStart, rule.windows))
      if (slot.start.getTime() >= earliest) out.push(slot);
  }
  return out;
}

/**
 * The delivery windows a buyer may choose: local days from the earliest arrival (`etdMinDays`
 * after today, in the destination's time) for `rule.days` days; today's only if still ahead.
 */
export function deliverySlots(
  rule: DeliverySlotRule,
  now: Date,
  utcOffsetHours: number,
  etdMinDays: number,
): Slot[] {
  const out: Slot[] = [];
  for (let d = etdMinDays; d < etdMinDays + rule.days; d++) {
    for (const slot of windowsOn(localMidnight(now, utcOffsetHours, d), rule.windows)) {
      if (slot.start.getTime() > now.getTime()) out.push(slot);
    }
  }
  return out;
}
