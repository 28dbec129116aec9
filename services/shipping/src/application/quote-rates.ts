import type { City, Zone } from "../domain/geography.ts";
import type { Parcel } from "../domain/parcel.ts";
import { byPrice, type Quote, quoteServiceLevel } from "../domain/service-level.ts";
import type { ShippingDeps } from "./ports.ts";
import { checkRoute, type Place, type Route } from "./route.ts";

/** Every service level's quote for one parcel on one route, cheapest first. */
export interface RatesAnswer {
  origin: City;
  destination: City;
  zone: Zone;
  quotes: Quote[];
}

/** Prices a parcel under every carrier service level serving the route (pure, no cache). */
export function quotesFor(deps: Pick<ShippingDeps, "carriers">, route: Route, parcel: Parcel): Quote[] {
  const quotes: Quote[] = [];
  for (const carrier of deps.carriers.all()) {
    for (const level of carrier.levels) {
      const q = quoteServiceLevel(level, route.zone, route.from, route.to, parcel);
      if (typeof q !== "string") quotes.push(q);
    }
  }
  return quotes.sort(byPrice);
}

/**
 * QuoteRates: resolves the cities, checks the parcel (VALIDATION_FAILED naming the fields) and
 * answers from the quote cache when the same inputs were priced within its TTL.
 */
export function quoteRates(
  deps: Pick<ShippingDeps, "carriers" | "cities" | "quotes" | "clock">,
  input: { origin: Omit<Place, "field">; destination: Omit<Place, "field">; parcel: Parcel },
): RatesAnswer {
  const route = checkRoute(
    deps.cities,
    { ...input.origin, field: "origin" },
    { ...input.destination, field: "destination" },
    input.parcel,
  );
  const p = input.parcel;
  const key = `${route.from.id}|${route.to.id}|${p.weightGrams}|${p.lengthCm}|${p.widthCm}|${p.heightCm}`;
  const now = deps.clock.now().getTime();
  const cached = deps.quotes.get(key, now);
  if (cached) return cached;
  const answer: RatesAnswer = {
    origin: route.from,
    destination: route.to,
    zone: route.zone,
    quotes: quotesFor(deps, route, p),
  };
  deps.quotes.set(key, answer, now);
  return answer;
}
