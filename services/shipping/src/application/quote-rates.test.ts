import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CARRIERS } from "../data/carriers/index.ts";
import { carrierDirectory, tableCarrier } from "../infrastructure/table-carriers.ts";
import { cityTable } from "../start.ts";
import { QuoteCache } from "./quote-cache.ts";
import { quoteRates, type RatesAnswer } from "./quote-rates.ts";

describe("the quote cache", () => {
  test("answers within its TTL and forgets after it", () => {
    const cache = new QuoteCache<string>(1_000, 10);
    cache.set("k", "v", 0);
    assert.equal(cache.get("k", 999), "v");
    assert.equal(cache.get("k", 1_000), undefined);
  });
  test("drops the oldest entry when full", () => {
    const cache = new QuoteCache<number>(1_000, 2);
    cache.set("a", 1, 0);
    cache.set("b", 2, 0);
    cache.set("c", 3, 0);
    assert.deepEqual([cache.get("a", 1), cache.get("b", 1), cache.get("c", 1)], [undefined, 2, 3]);
  });
});

describe("quoteRates", () => {
  const directory = carrierDirectory(CARRIERS.map((c) => tableCarrier(c)));
  let pricings = 0;
  const counting = {
    ...directory,
    all: () => {
      pricings++;
      return directory.all();
    },
  };
  let now = 0;
  const deps = {
    carriers: counting,
    cities: cityTable(),
    quotes: new QuoteCache<RatesAnswer>(60_000, 100),
    clock: { now: () => new Date(now) },
  };
  const ask = (city: string, weightGrams: number) =>
    quoteRates(deps, {
      origin: { city, province: "" },
      destination: { city: "Surabaya", province: "" },
      parcel: { weightGrams, lengthCm: 0, widthCm: 0, heightCm: 0 },
    });

  test("prices a route once per TTL: 'Bandung' and 'Kota Bandung' share an entry", () => {
    ask("Bandung", 1000);
    ask("Kota Bandung", 1000);
    assert.equal(pricings, 1);
    ask("Bandung", 1001);
    assert.equal(pricings, 2);
    now += 60_000;
    ask("Bandung", 1000);
    assert.equal(pricings, 3);
  });
});
