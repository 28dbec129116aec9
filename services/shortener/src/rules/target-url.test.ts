import assert from "node:assert/strict";
import { test } from "node:test";
import { isOwnHost, targetProblem } from "./target-url.ts";

const own = "toko.example";

test("accepts ordinary http and https URLs", () => {
  for (const url of [
    "https://www.tokopedia.com/shop/item?x=1#top",
    "http://example.com",
    "https://例え.jp/パス",
    "https://example.com:8443/a",
  ]) {
    assert.equal(targetProblem(url, own), undefined, url);
  }
});

test("accepts exactly 2,048 characters and refuses 2,049", () => {
  const base = "https://example.com/";
  const ok = base + "a".repeat(2048 - base.length);
  assert.equal(targetProblem(ok, own), undefined);
  assert.match(targetProblem(`${ok}a`, own) ?? "", /at most 2048/);
});

test("refuses other schemes, relative and malformed URLs", () => {
  assert.match(targetProblem("ftp://example.com/f", own) ?? "", /http or https, not ftp/);
  assert.match(targetProblem("javascript:alert(1)", own) ?? "", /http or https, not javascript/);
  assert.match(targetProblem("data:text/html,hi", own) ?? "", /http or https/);
  assert.match(targetProblem("/relative/path", own) ?? "", /absolute/);
  assert.match(targetProblem("example.com", own) ?? "", /absolute/);
  assert.match(targetProblem("https://", own) ?? "", /absolute/);
  assert.match(targetProblem("", own) ?? "", /required/);
  assert.match(targetProblem("https://exa mple.com", own) ?? "", /spaces/);
  assert.match(targetProblem(" https://example.com", own) ?? "", /spaces/);
  assert.match(targetProblem("https://example.com/\u0000x", own) ?? "", /control/);
});

test("refuses credentials in the URL", () => {
  assert.match(targetProblem("https://user:pw@example.com/", own) ?? "", /credentials/);
  assert.match(targetProblem("https://user@example.com/", own) ?? "", /credentials/);
});

test("refuses short links on Toko's own host in any case, port, trailing dot or spelling of the path", () => {
  for (const url of [
    "https://toko.example/s/abc",
    "http://TOKO.example/s",
    "https://toko.example.:8443/s/x",
    "https://toko.example//s/x",
    "https://toko.example/%73/x",
    "https://toko.example/p/../s/x",
  ]) {
    assert.match(targetProblem(url, own) ?? "", /loop/, url);
  }
  assert.equal(targetProblem("https://shop.toko.example/s/abc", own), undefined);
});

test("Toko's own storefront pages can be shortened (sharing a product)", () => {
  assert.equal(targetProblem("https://toko.example/p/018cc252-0002", own), undefined);
  assert.equal(targetProblem("https://toko.example/", own), undefined);
  assert.equal(targetProblem("https://toko.example/shop/s", own), undefined);
  assert.equal(targetProblem("http://localhost:8080/p/x", "localhost"), undefined);
});

test("with a loopback public host every loopback name loops", () => {
  assert.ok(isOwnHost("127.0.0.1", "localhost"));
  assert.ok(isOwnHost("[::1]", "localhost"));
  assert.ok(isOwnHost("app.localhost", "localhost"));
  assert.ok(!isOwnHost("example.com", "localhost"));
  assert.ok(!isOwnHost("127.0.0.1", "toko.example"));
  assert.match(targetProblem("http://127.0.0.1:8080/s/abc", "localhost") ?? "", /loop/);
});
