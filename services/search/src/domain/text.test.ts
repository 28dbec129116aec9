import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, highlight, indexTerms, maxTypoEdits, stem, words } from "./text.ts";

test("words: lowercase, accents removed, anything else separates", () => {
  assert.deepEqual(words("Kabel Data Type-C Café 10000mAh!"), [
    "kabel",
    "data",
    "type",
    "c",
    "cafe",
    "10000mah",
  ]);
  assert.deepEqual(words("👟🔥 ☕"), []);
});

test("stem: the particles -nya, -lah, -kah when four letters remain", () => {
  assert.equal(stem("sepatunya"), "sepatu");
  assert.equal(stem("murahlah"), "murah");
  assert.equal(stem("apakah"), "apakah");
  assert.equal(stem("tanya"), "tanya");
  assert.deepEqual(indexTerms("Sepatunya murah"), ["sepatunya", "sepatu", "murah"]);
});

test("highlight: matched words in <em>, everything escaped", () => {
  const terms = [
    { word: "sepatu", prefix: true },
    { word: "lari", prefix: false },
  ];
  assert.equal(
    highlight("Sepatu <Lari> & Running", terms),
    "<em>Sepatu</em> &lt;<em>Lari</em>&gt; &amp; Running",
  );
  assert.equal(highlight("Sepatunya bagus", terms), "<em>Sepatunya</em> bagus");
  assert.equal(highlight("Larian", terms), "Larian", "a non-prefix term matches whole words only");
  assert.equal(escapeHtml(`"'`), "&quot;&#39;");
});

test("typo budget grows with the word", () => {
  assert.deepEqual(["hp", "lri", "lari", "wireles", "mechanical"].map(maxTypoEdits), [0, 1, 1, 2, 2]);
});
