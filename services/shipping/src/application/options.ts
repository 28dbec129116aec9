import { DomainError } from "@toko/kit";
import type { ServiceLevel } from "../domain/service-level.ts";
import type { Slot } from "../domain/slots.ts";
import type { Carrier, ShippingDeps } from "./ports.ts";

/** The carrier and service level of an option id; OPTION_UNAVAILABLE naming `option_id` when unknown. */
export function findOption(
  deps: Pick<ShippingDeps, "carriers">,
  optionId: string,
): { carrier: Carrier; level: ServiceLevel } {
  const found = deps.carriers.option(optionId);
  if (!found) {
    throw new DomainError("invalid", "OPTION_UNAVAILABLE", `no shipping option "${optionId}"`, [
      { field: "option_id", message: "is not a known shipping option" },
    ]);
  }
  return found;
}

/** OPTION_UNAVAILABLE: the option exists but does not carry this parcel on this route. */
export function optionUnavailable(optionId: string, why: string): DomainError {
  return new DomainError("invalid", "OPTION_UNAVAILABLE", `${optionId} is not available: ${why}`, [
    { field: "option_id", message: `not available: ${why}` },
  ]);
}

/** The offered slot named `id`; SLOT_UNAVAILABLE naming `field` when it is not offered (any more). */
export function pickSlot(offered: readonly Slot[], id: string, field: string): Slot {
  const slot = offered.find((s) => s.id === id);
  if (!slot) {
    throw new DomainError("invalid", "SLOT_UNAVAILABLE", `${field} is not an offered window`, [
      { field, message: "is not one of the offered windows (list them again)" },
    ]);
  }
  return slot;
}

/** Human words for why a service level gave no quote. */
export const NO_QUOTE_REASON = {
  zone_not_served: "the carrier does not serve this route",
  city_not_served: "the carrier does not serve these cities (instant couriers work within one city)",
  too_heavy: "the parcel is heavier than the carrier carries",
  too_large: "the parcel is larger than the carrier carries",
} as const;
