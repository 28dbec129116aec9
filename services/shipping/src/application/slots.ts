import { deliverySlots, pickupSlots, type Slot } from "../domain/slots.ts";
import { findOption, optionUnavailable } from "./options.ts";
import type { ShippingDeps } from "./ports.ts";
import { checkPlace, checkRoute, type Place } from "./route.ts";

type SlotDeps = Pick<ShippingDeps, "carriers" | "cities" | "clock">;

/** ListPickupSlots: the option's pickup windows at the origin, from now, in its local time. */
export function listPickupSlots(deps: SlotDeps, optionId: string, origin: Omit<Place, "field">): Slot[] {
  const { level } = findOption(deps, optionId);
  const city = checkPlace(deps.cities, { ...origin, field: "origin" });
  return pickupSlots(level.pickup, deps.clock.now(), city.utcOffsetHours);
}

/** ListDeliverySlots: the option's delivery windows on the route; empty when it offers none. */
export function listDeliverySlots(
  deps: SlotDeps,
  optionId: string,
  origin: Omit<Place, "field">,
  destination: Omit<Place, "field">,
): Slot[] {
  const { level } = findOption(deps, optionId);
  const route = checkRoute(
    deps.cities,
    { ...origin, field: "origin" },
    { ...destination, field: "destination" },
    undefined,
  );
  const rate = level.rates[route.zone];
  if (!rate) throw optionUnavailable(optionId, "the carrier does not serve this route");
  if (!level.deliverySlots) return [];
  return deliverySlots(level.deliverySlots, deps.clock.now(), route.to.utcOffsetHours, rate.etdMinDays);
}
