import type { DeliverySlotRule, PickupRule } from "../../domain/slots.ts";

/** Line-haul couriers collect in a morning and an afternoon window, up to three days ahead. */
export const COURIER_PICKUP: PickupRule = {
  windows: [
    { startHour: 9, endHour: 12 },
    { startHour: 13, endHour: 17 },
  ],
  days: 3,
  sundays: false,
  leadMinutes: 60,
};

/** Three delivery windows a day over two days, for the service levels that offer a choice. */
export const DAYTIME_DELIVERY: DeliverySlotRule = {
  windows: [
    { startHour: 9, endHour: 12 },
    { startHour: 12, endHour: 15 },
    { startHour: 15, endHour: 18 },
  ],
  days: 2,
};
