import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CITY_ALIASES, PROVINCES, REMOTE_ISLANDS } from "../data/indonesia.ts";
import { CityTable, isCity } from "./geography.ts";

const table = new CityTable({
  provinces: PROVINCES,
  cityAliases: CITY_ALIASES,
  remoteIslands: REMOTE_ISLANDS,
});
const name = (city: string, province = "") => {
  const found = table.resolve(city, province);
  return isCity(found) ? found.name : found.reason;
};

// The cities the demo marketplace's shops use (services/product/src/demo/demo-data.ts).
const DEMO_CITIES: [string, string][] = [
  ["Jakarta Selatan", "DKI Jakarta"],
  ["Jakarta Barat", "DKI Jakarta"],
  ["Jakarta Utara", "DKI Jakarta"],
  ["Bandung", "Jawa Barat"],
  ["Bekasi", "Jawa Barat"],
  ["Bogor", "Jawa Barat"],
  ["Depok", "Jawa Barat"],
  ["Tangerang", "Banten"],
  ["Surabaya", "Jawa Timur"],
  ["Malang", "Jawa Timur"],
  ["Semarang", "Jawa Tengah"],
  ["Solo", "Jawa Tengah"],
  ["Yogyakarta", "DI Yogyakarta"],
  ["Medan", "Sumatera Utara"],
  ["Palembang", "Sumatera Selatan"],
  ["Padang", "Sumatera Barat"],
  ["Pekanbaru", "Riau"],
  ["Denpasar", "Bali"],
  ["Makassar", "Sulawesi Selatan"],
  ["Manado", "Sulawesi Utara"],
  ["Balikpapan", "Kalimantan Timur"],
  ["Pontianak", "Kalimantan Barat"],
  ["Banjarmasin", "Kalimantan Selatan"],
  ["Takengon", "Aceh"],
  ["Mataram", "Nusa Tenggara Barat"],
];

describe("the bundled table of Indonesia", () => {
  test("has all 38 provinces, each with cities, and unique city ids", () => {
    assert.equal(PROVINCES.length, 38);
    for (const p of PROVINCES) assert.ok(p.cities.length > 0, p.name);
    assert.equal(new Set(table.cities.map((c) => c.id)).size, table.cities.length);
  });
  test("resolves every city the demo marketplace uses, with and without its province", () => {
    for (const [city, province] of DEMO_CITIES) {
      const found = table.resolve(city, province);
      assert.ok(isCity(found), `${city}, ${province}`);
      assert.equal(found.province, province);
      assert.ok(isCity(table.resolve(city)), city);
    }
  });
});

describe("resolving a city name", () => {
  test("a full official name, in any case and spacing", () => {
    assert.equal(name("kabupaten  bandung"), "Kabupaten Bandung");
    assert.equal(name("KOTA BANDUNG"), "Kota Bandung");
    assert.equal(name("Kab. Sleman"), "Kabupaten Sleman");
  });
  test("a bare name that is both a kota and a kabupaten means the kota", () => {
    assert.equal(name("Bandung"), "Kota Bandung");
    assert.equal(name("Bekasi"), "Kota Bekasi");
  });
  test("the province narrows a bare name: Banjar is Kota Banjar in Jawa Barat, Kabupaten Banjar in Kalsel", () => {
    assert.equal(name("Banjar"), "Kota Banjar");
    assert.equal(name("Banjar", "Kalimantan Selatan"), "Kabupaten Banjar");
    assert.equal(name("Banjar", "kalsel"), "Kabupaten Banjar");
  });
  test("everyday names: Solo, Jogja, Takengon, Jakarta Selatan", () => {
    assert.equal(name("Solo"), "Kota Surakarta");
    assert.equal(name("Jogja"), "Kota Yogyakarta");
    assert.equal(name("Takengon", "Aceh"), "Kabupaten Aceh Tengah");
    assert.equal(name("Jakarta Selatan"), "Kota Administrasi Jakarta Selatan");
  });
  test("unknown names and provinces, and a city in the wrong province", () => {
    assert.equal(name("Atlantis"), "unknown");
    assert.equal(name("Bandung", "Narnia"), "unknown_province");
    assert.equal(name("Bandung", "Bali"), "unknown");
  });
  test("two kabupaten of one name and no kota are ambiguous until a province is given", () => {
    const t = new CityTable({
      provinces: [
        { name: "A", island: "x", utcOffsetHours: 7, cities: ["Kabupaten Sama"] },
        { name: "B", island: "x", utcOffsetHours: 7, cities: ["Kabupaten Sama"] },
      ],
      cityAliases: {},
      remoteIslands: [],
    });
    const found = t.resolve("Sama");
    assert.ok(!isCity(found) && found.reason === "ambiguous" && found.candidates.length === 2);
    assert.ok(isCity(t.resolve("Sama", "B")));
  });
});

describe("zones", () => {
  const zone = (a: string, b: string) => {
    const [x, y] = [table.resolve(a), table.resolve(b)];
    assert.ok(isCity(x) && isCity(y));
    return table.zone(x, y);
  };
  test("same city, same province, same island, another island, remote", () => {
    assert.equal(zone("Kota Bandung", "Kota Bandung"), "same_city");
    assert.equal(zone("Kota Bandung", "Kota Bekasi"), "same_province");
    assert.equal(zone("Kota Bandung", "Kota Administrasi Jakarta Selatan"), "same_island");
    assert.equal(zone("Kota Bandung", "Kota Medan"), "inter_island");
    assert.equal(zone("Kota Denpasar", "Kota Mataram"), "inter_island");
    assert.equal(zone("Kota Makassar", "Kota Ambon"), "remote");
    assert.equal(zone("Kota Jayapura", "Kabupaten Merauke"), "same_island");
  });
});
