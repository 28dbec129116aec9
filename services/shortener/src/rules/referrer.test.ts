import assert from "node:assert/strict";
import { test } from "node:test";
import { referrerHost } from "./referrer.ts";

test("normalizes hosts and pulls the host out of a URL", () => {
  assert.equal(referrerHost("WWW.Google.com"), "www.google.com");
  assert.equal(referrerHost("https://t.co/abc?x=1"), "t.co");
  assert.equal(referrerHost("news.example.com.:443"), "news.example.com");
  assert.equal(referrerHost("[::1]"), "[::1]");
});

test("empty or garbage becomes no referrer", () => {
  assert.equal(referrerHost(""), "");
  assert.equal(referrerHost("   "), "");
  assert.equal(referrerHost("<script>alert(1)</script>"), "");
  assert.equal(referrerHost("a b.com"), "");
  assert.equal(referrerHost(`${"a".repeat(250)}.com`), "");
  assert.equal(referrerHost("http://"), "");
});
