import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CARRIERS } from "../data/carriers/index.ts";
import { CITY_ALIASES, PROVINCES, REMOTE_ISLANDS } from "../data/indonesia.ts";
import { type City, CityTable, isCity } from "./geography.ts";
import type { Parcel } from "./parcel.ts";
import { type Quote, quoteServiceLevel, type ServiceLevel } from "./service-level.ts";

// Every expected price below was worked out by hand from the carrier's data file:
// price = base + perKg × chargeable kg, chargeable = max(actual, L×W×H/divisor) rounded per rule.
const table = new CityTable({
  provinces: PROVINCES,
  cityAliases: CITY_ALIASES,
  remoteIslands: REMOTE_ISLANDS,
});
const city = (name: string, province = ""): City => {
  const c = table.resolve(name, province);
  assert.ok(isCity(c), `${name} resolves`);
  return c;
};
const level = (id: string): ServiceLevel => {
  const found = CARRIERS.flatMap((c) => c.levels).find((l) => l.id === id);
  assert.ok(found, id);
  return found;
};
const parcel = (weightGrams: number, dims: [number, number, number] = [0, 0, 0]): Parcel => ({
  weightGrams,
  lengthCm: dims[0],
  widthCm: dims[1],
  heightCm: dims[2],
});
const quote = (id: string, from: City, to: City, p: Parcel) =>
  quoteServiceLevel(level(id), table.zone(from, to), from, to, p);
const priced = (id: string, from: City, to: City, p: Parcel): Quote => {
  const q = quote(id, from, to, p);
  assert.ok(typeof q !== "string", `${id} quotes (got ${String(q)})`);
  return q;
};

const bandung = city("Kota Bandung");
const kabBandung = city("Kabupaten Bandung");
const surabaya = city("Surabaya");
const medan = city("Medan");
const jayapura = city("Kota Jayapura");
const bandaAceh = city("Banda Aceh");

describe("JNE REG and YES: divisor 6000, round up per kg with 0.3 kg tolerance, minimum 1 kg", () => {
  test("1.3 kg Bandung→Surabaya (same island, Rp18,000/kg) is charged 1 kg = Rp18,000", () => {
    const q = priced("jne-reg", bandung, surabaya, parcel(1300));
    assert.deepEqual([q.chargeableGrams, q.price, q.etdMinDays, q.etdMaxDays], [1000, 18_000, 2, 4]);
  });
  test("1.31 kg Bandung→Surabaya is over the tolerance: 2 kg = Rp36,000", () => {
    assert.equal(priced("jne-reg", bandung, surabaya, parcel(1310)).price, 36_000);
  });
  test("1 kg box of 40×30×20 cm is 24,000/6000 = 4 kg volumetric: 4 × Rp18,000 = Rp72,000", () => {
    const q = priced("jne-reg", bandung, surabaya, parcel(1000, [40, 30, 20]));
    assert.deepEqual([q.chargeableGrams, q.price], [4000, 72_000]);
  });
  test("31×30×20 cm = 3.1 kg volumetric, within tolerance: 3 kg = Rp54,000", () => {
    const q = priced("jne-reg", bandung, surabaya, parcel(500, [31, 30, 20]));
    assert.deepEqual([q.chargeableGrams, q.price], [3000, 54_000]);
  });
  test("5 kg actual beats 2 kg volumetric (20×20×30 cm): 5 kg", () => {
    assert.equal(priced("jne-reg", bandung, surabaya, parcel(5000, [20, 20, 30])).chargeableGrams, 5000);
  });
  test("200 g within Kota Bandung is lifted to the 1 kg minimum: Rp9,000", () => {
    const q = priced("jne-reg", bandung, bandung, parcel(200));
    assert.deepEqual([q.chargeableGrams, q.price], [1000, 9_000]);
  });
  test("Kota Bandung→Kabupaten Bandung is same province: 2 kg × Rp11,000 = Rp22,000", () => {
    assert.equal(priced("jne-reg", bandung, kabBandung, parcel(2000)).price, 22_000);
  });
  test("Bandung→Medan is inter-island: 1 kg × Rp35,000", () => {
    assert.equal(priced("jne-reg", bandung, medan, parcel(1000)).price, 35_000);
  });
  test("Bandung→Jayapura is remote: REG 1 kg × Rp85,000; YES does not serve it", () => {
    assert.equal(priced("jne-reg", bandung, jayapura, parcel(1000)).price, 85_000);
    assert.equal(quote("jne-yes", bandung, jayapura, parcel(1000)), "zone_not_served");
  });
  test("YES 1.2 kg Bandung→Surabaya: 1 kg × Rp30,000, next day", () => {
    const q = priced("jne-yes", bandung, surabaya, parcel(1200));
    assert.deepEqual([q.price, q.etdMinDays, q.etdMaxDays], [30_000, 1, 1]);
  });
  test("60 kg: REG carries up to 70 kg, YES only up to 50 kg", () => {
    assert.equal(priced("jne-reg", bandung, surabaya, parcel(60_000)).price, 60 * 18_000);
    assert.equal(quote("jne-yes", bandung, surabaya, parcel(60_000)), "too_heavy");
  });
});

describe("J&T EZ: divisor 6000, every started kg charged (no tolerance), minimum 1 kg, up to 50 kg", () => {
  test("1.01 kg Bandung→Surabaya is 2 kg × Rp17,000 = Rp34,000", () => {
    const q = priced("jnt-ez", bandung, surabaya, parcel(1010));
    assert.deepEqual([q.chargeableGrams, q.price], [2000, 34_000]);
  });
  test("31×30×20 cm = 3.1 kg volumetric rounds up to 4 kg = Rp68,000", () => {
    assert.equal(priced("jnt-ez", bandung, surabaya, parcel(500, [31, 30, 20])).price, 68_000);
  });
  test("exactly 2 kg stays 2 kg; 51 kg is refused", () => {
    assert.equal(priced("jnt-ez", bandung, surabaya, parcel(2000)).chargeableGrams, 2000);
    assert.equal(quote("jnt-ez", bandung, surabaya, parcel(51_000)), "too_heavy");
  });
});

describe("SiCepat REG (0.3 kg tolerance) and BEST (no tolerance, Java-and-neighbours only)", () => {
  test("REG 1.3 kg Bandung→Surabaya: 1 kg × Rp16,500", () => {
    assert.equal(priced("sicepat-reg", bandung, surabaya, parcel(1300)).price, 16_500);
  });
  test("BEST 1.3 kg Bandung→Surabaya: 2 kg × Rp27,000 = Rp54,000, with delivery windows", () => {
    const q = priced("sicepat-best", bandung, surabaya, parcel(1300));
    assert.deepEqual([q.price, q.deliverySlots], [54_000, true]);
  });
  test("BEST does not cross to another island (Bandung→Medan)", () => {
    assert.equal(quote("sicepat-best", bandung, medan, parcel(1000)), "zone_not_served");
  });
  test("BEST carries up to 30 kg: 31 kg is refused, REG takes it", () => {
    assert.equal(quote("sicepat-best", bandung, surabaya, parcel(31_000)), "too_heavy");
    assert.equal(priced("sicepat-reg", bandung, surabaya, parcel(31_000)).price, 31 * 16_500);
  });
});

describe("AnterAja REG: divisor 6000, round up per kg with 0.5 kg tolerance, minimum 1 kg", () => {
  test("1.5 kg Bandung→Surabaya is 1 kg × Rp16,000", () => {
    assert.equal(priced("anteraja-reg", bandung, surabaya, parcel(1500)).price, 16_000);
  });
  test("1.501 kg is 2 kg × Rp16,000 = Rp32,000", () => {
    assert.equal(priced("anteraja-reg", bandung, surabaya, parcel(1501)).price, 32_000);
  });
});

describe("GoSend Instant and Same Day: within one served city only, divisor 5000, ≤ 20 kg, ≤ 70 cm", () => {
  test("Instant 2.5 kg within Kota Bandung: 3 kg → Rp20,000 + 3 × Rp2,500 = Rp27,500, same day", () => {
    const q = priced("gosend-instant", bandung, bandung, parcel(2500));
    assert.deepEqual([q.chargeableGrams, q.price, q.etdMinDays, q.etdMaxDays], [3000, 27_500, 0, 0]);
  });
  test("Instant 50×40×30 cm is 60,000/5000 = 12 kg: Rp50,000 (JNE's divisor 6000 makes it 10 kg)", () => {
    assert.equal(priced("gosend-instant", bandung, bandung, parcel(1000, [50, 40, 30])).price, 50_000);
    assert.equal(priced("jne-reg", bandung, bandung, parcel(1000, [50, 40, 30])).chargeableGrams, 10_000);
  });
  test("Same Day 1 kg within Kota Bandung: Rp12,000 + Rp1,500 = Rp13,500", () => {
    assert.equal(priced("gosend-sameday", bandung, bandung, parcel(1000)).price, 13_500);
  });
  test("not between two cities, even in one province (Kota→Kabupaten Bandung)", () => {
    assert.equal(quote("gosend-instant", bandung, kabBandung, parcel(1000)), "zone_not_served");
  });
  test("not in a city without GoSend (Banda Aceh)", () => {
    assert.equal(quote("gosend-instant", bandaAceh, bandaAceh, parcel(1000)), "city_not_served");
  });
  test("21 kg is too heavy; an 80 cm side does not fit the box", () => {
    assert.equal(quote("gosend-instant", bandung, bandung, parcel(21_000)), "too_heavy");
    assert.equal(quote("gosend-sameday", bandung, bandung, parcel(1000, [80, 10, 10])), "too_large");
  });
});
