import { errors, type FieldViolation } from "@toko/kit";
import { type City, type CityTable, isCity, type Zone } from "../domain/geography.ts";
import { type Parcel, parcelViolations } from "../domain/parcel.ts";

/** Two ends of a route as named by a caller; `field` prefixes the violations ("origin"). */
export interface Place {
  city: string;
  province: string;
  field: string;
}

/** Resolves a place or explains, by field, why it did not. */
function cityViolation(cities: CityTable, place: Place): City | FieldViolation {
  const field = `${place.field}_city`;
  if (place.city.trim() === "") return { field, message: "is required" };
  if (place.city.length > 100) return { field, message: "must be at most 100 characters" };
  const found = cities.resolve(place.city, place.province);
  if (isCity(found)) return found;
  switch (found.reason) {
    case "unknown_province":
      return { field: `${place.field}_province`, message: `no province named "${place.province}"` };
    case "ambiguous":
      return {
        field,
        message: `"${place.city}" is ambiguous: ${found.candidates.map((c) => `${c.name} (${c.province})`).join(", ")}`,
      };
    default:
      return {
        field,
        message: `no city or regency named "${place.city}"${place.province ? ` in ${place.province}` : ""}`,
      };
  }
}

/** A checked route: both cities and the zone between them. */
export interface Route {
  from: City;
  to: City;
  zone: Zone;
}

/** Resolves both ends and checks the parcel; every problem is reported at once as VALIDATION_FAILED. */
export function checkRoute(cities: CityTable, from: Place, to: Place, parcel: Parcel | undefined): Route {
  const violations: FieldViolation[] = [];
  const a = cityViolation(cities, from);
  const b = cityViolation(cities, to);
  for (const r of [a, b]) if (!("id" in r)) violations.push(r);
  if (parcel) violations.push(...parcelViolations(parcel));
  if (violations.length > 0) {
    throw errors.invalid(violations.map((v) => `${v.field} ${v.message}`).join("; "), violations);
  }
  const fromCity = a as City;
  const toCity = b as City;
  return { from: fromCity, to: toCity, zone: cities.zone(fromCity, toCity) };
}

/** Resolves one place (pickup slots need only the origin). */
export function checkPlace(cities: CityTable, place: Place): City {
  const found = cityViolation(cities, place);
  if ("id" in found) return found;
  throw errors.invalid(`${found.field} ${found.message}`, [found]);
}
