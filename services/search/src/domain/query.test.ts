import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { searchInput } from "../../test/fixtures.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import {
  correctedQuery,
  expandWords,
  parseSearch,
  queryWords,
  type SearchInput,
  toTsQuery,
} from "./query.ts";
import { score } from "./ranking.ts";

const violations = (over: Partial<SearchInput>) => {
  try {
    parseSearch(searchInput(over));
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return e.violations.map((v) => v.field);
  }
  return [];
};

test("parseSearch bounds the work and lists every bad field", () => {
  assert.deepEqual(violations({ query: "x".repeat(201) }), ["query"]);
  assert.deepEqual(violations({ query: "" }), ["query"]);
  assert.deepEqual(violations({ categoryId: "12" }), []);
  assert.deepEqual(violations({ query: "a", minPrice: -1, maxPrice: 5, minRating: 7 }), [
    "min_price",
    "min_rating",
  ]);
  assert.deepEqual(violations({ query: "a", minPrice: 10, maxPrice: 5 }), ["max_price"]);
  assert.deepEqual(violations({ query: "a", limit: 61 }), ["page.limit"]);
  const q = parseSearch(searchInput({ query: "🙂", city: "Bandung" }));
  assert.equal(q.unsearchable, true);
  assert.equal(q.filters.city, "bandung");
  assert.equal(q.limit, 20);
});

test("queryWords: at most eight distinct words of at most 40 characters", () => {
  assert.deepEqual(queryWords("a b a c d e f g h i j"), ["a", "b", "c", "d", "e", "f", "g", "h"]);
  assert.equal(queryWords("x".repeat(100))[0]?.length, 40);
});

test("expandWords and toTsQuery: prefix, synonyms, corrections; only [a-z0-9] reaches SQL", () => {
  const synonyms = (w: string) =>
    w === "lari" ? ["running"] : w === "hp" ? ["handphone", "jam tangan"] : [];
  const fixes = (w: string) => (w === "lri" ? ["lari"] : []);
  const m = expandWords(["sepatunya", "lri", "hp"], synonyms, fixes);
  assert.equal(
    toTsQuery(m),
    "(sepatunya:* | sepatu:*) & (lri:* | lari | running) & (hp | handphone | (jam <-> tangan))",
  );
  assert.equal(correctedQuery(m), "sepatunya lari hp");
  assert.equal(
    correctedQuery(
      expandWords(
        ["kaos"],
        () => [],
        () => [],
      ),
    ),
    "",
  );
});

test("cursors round-trip and refuse another search's", () => {
  const c = { key: 0.123456789012345, id: "p1", asOf: 1_700_000_000_000, fingerprint: "abc" };
  assert.deepEqual(decodeCursor(encodeCursor(c), "abc"), c);
  assert.throws(() => decodeCursor(encodeCursor(c), "other"), /cursor/);
  assert.throws(() => decodeCursor("%%%", "abc"), /cursor/);
});

test("score: text first, then quality, sales and freshness", () => {
  const w = { text: 1, rating: 0.3, sales: 0.3, freshness: 0.1, freshnessDays: 30, salesSaturation: 10_000 };
  const titleMatch = score(w, { textRank: 0.6, ratingAverage: 0, ratingCount: 0, sold: 0, ageDays: 365 });
  const bestSellerInDescription = score(w, {
    textRank: 0.06,
    ratingAverage: 5,
    ratingCount: 20,
    sold: 10_000,
    ageDays: 365,
  });
  assert.ok(titleMatch > bestSellerInDescription);
  const fewReviews = score(w, { textRank: 0.6, ratingAverage: 5, ratingCount: 2, sold: 0, ageDays: 365 });
  const manyReviews = score(w, {
    textRank: 0.6,
    ratingAverage: 4.8,
    ratingCount: 200,
    sold: 0,
    ageDays: 365,
  });
  assert.ok(manyReviews > fewReviews);
});
