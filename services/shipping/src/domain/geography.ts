/** A city or regency of the table, with what zones and slots need of its province. */
export interface City {
  /** Stable slug of the official name: "kota-bandung". */
  id: string;
  /** Official name: "Kota Bandung". */
  name: string;
  province: string;
  island: string;
  utcOffsetHours: number;
  kind: "kota" | "kabupaten";
}

/** The input shape of the table (see src/data/indonesia.ts). */
export interface GeographySource {
  provinces: readonly {
    name: string;
    aliases?: readonly string[];
    island: string;
    utcOffsetHours: number;
    cities: readonly string[];
  }[];
  cityAliases: Readonly<Record<string, string>>;
  remoteIslands: readonly string[];
}

/** Shipping zones, nearest first. */
export type Zone = "same_city" | "same_province" | "same_island" | "inter_island" | "remote";

/** Why a name did not resolve to exactly one city. */
export type CityLookupFailure =
  | { reason: "unknown" }
  | { reason: "unknown_province" }
  | { reason: "ambiguous"; candidates: City[] };

const PREFIXES = ["kota administrasi ", "kabupaten administrasi ", "kabupaten ", "kab. ", "kab ", "kota "];

/** Lower case, hyphens and runs of spaces as one space: how names are compared. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, " ").replace(/\s+/g, " ").trim();
}

/** The name without its "Kota"/"Kabupaten" prefix, normalized ("kota bandung" → "bandung"). */
function baseName(normalized: string): string {
  for (const p of PREFIXES) if (normalized.startsWith(p)) return normalized.slice(p.length);
  return normalized;
}

const slug = (name: string) => normalizeName(name).replace(/[^a-z0-9]+/g, "-");

/**
 * Indonesia's cities and regencies by name. A full official name ("Kabupaten Bandung") always
 * resolves; a bare name ("Bandung") resolves when only one entry has it, or when one of them is
 * a kota (people mean the city itself); a province narrows the candidates.
 */
export class CityTable {
  readonly cities: readonly City[];
  readonly #byFull = new Map<string, City>();
  readonly #byId = new Map<string, City>();
  readonly #byBase = new Map<string, City[]>();
  readonly #provinces = new Map<string, string>();
  readonly #remote: ReadonlySet<string>;

  constructor(source: GeographySource) {
    const cities: City[] = [];
    for (const p of source.provinces) {
      this.#provinces.set(normalizeName(p.name), p.name);
      for (const alias of p.aliases ?? []) this.#provinces.set(normalizeName(alias), p.name);
      for (const name of p.cities) {
        const kind = normalizeName(name).startsWith("kab") ? "kabupaten" : "kota";
        const city: City = {
          id: slug(name),
          name,
          province: p.name,
          island: p.island,
          utcOffsetHours: p.utcOffsetHours,
          kind,
        };
        cities.push(city);
        this.#byId.set(city.id, city);
        this.#byFull.set(normalizeName(name), city);
        const base = baseName(normalizeName(name));
        this.#byBase.set(base, [...(this.#byBase.get(base) ?? []), city]);
      }
    }
    for (const [alias, official] of Object.entries(source.cityAliases)) {
      const city = this.#byFull.get(normalizeName(official));
      if (!city) throw new Error(`city alias ${alias} names unknown ${official}`);
      const base = normalizeName(alias);
      this.#byBase.set(base, [...(this.#byBase.get(base) ?? []), city]);
    }
    this.cities = cities;
    this.#remote = new Set(source.remoteIslands);
  }

  /** The city with this id; undefined when unknown. */
  byId(id: string): City | undefined {
    return this.#byId.get(id);
  }

  /** The province's official name for any of its spellings; undefined when unknown. */
  province(name: string): string | undefined {
    return this.#provinces.get(normalizeName(name));
  }

  /** The one city `name` means (within `province` when given), or why there is none. */
  resolve(name: string, province = ""): City | CityLookupFailure {
    let provinceName: string | undefined;
    if (province.trim() !== "") {
      provinceName = this.province(province);
      if (!provinceName) return { reason: "unknown_province" };
    }
    const normalized = normalizeName(name);
    const exact = this.#byFull.get(normalized);
    if (exact && (!provinceName || exact.province === provinceName)) return exact;
    let candidates = this.#byBase.get(baseName(normalized)) ?? [];
    if (provinceName) candidates = candidates.filter((c) => c.province === provinceName);
    if (candidates.length === 1) return candidates[0] as City;
    if (candidates.length === 0) return { reason: "unknown" };
    const kotas = candidates.filter((c) => c.kind === "kota");
    if (kotas.length === 1) return kotas[0] as City;
    return { reason: "ambiguous", candidates };
  }

  /** The zone of a route: the same city, province or island group, another island, or remote. */
  zone(from: City, to: City): Zone {
    if (from.id === to.id) return "same_city";
    if (from.province === to.province) return "same_province";
    if (from.island === to.island) return "same_island";
    if (this.#remote.has(from.island) || this.#remote.has(to.island)) return "remote";
    return "inter_island";
  }
}

/** Whether a lookup found a city. */
export function isCity(found: City | CityLookupFailure): found is City {
  return "id" in found;
}
