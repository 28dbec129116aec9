import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync } from "node:zlib";
import Fastify from "fastify";
import { installErrorHandling } from "../plugins/errors.ts";
import { isReservedPath, StaticSite } from "./static-site.ts";
import { serveWebApp } from "./web-app.ts";

const root = mkdtempSync(join(tmpdir(), "toko-web-site-"));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), "<!doctype html><title>Toko</title><div id=root></div>");
writeFileSync(join(root, "assets", "index-abc123.js"), `console.log(${JSON.stringify("x".repeat(4000))});`);
writeFileSync(join(root, "favicon.svg"), "<svg/>");

async function app() {
  const site = StaticSite.open(root);
  assert.ok(site);
  const a = Fastify();
  installErrorHandling(a, undefined, (request, reply) => serveWebApp(site, request, reply));
  a.get("/api/v1/ping", async () => ({ ok: true }));
  return a;
}

test("hashed assets are cached for a year and gzipped; the rest is revalidated", async () => {
  const a = await app();
  const js = await a.inject({ url: "/assets/index-abc123.js", headers: { "accept-encoding": "gzip, br" } });
  assert.equal(js.statusCode, 200);
  assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal(js.headers["content-encoding"], "gzip");
  assert.match(String(js.headers["content-type"]), /^text\/javascript/);
  assert.match(gunzipSync(js.rawPayload).toString(), /^console\.log/);
  const again = await a.inject({
    url: "/assets/index-abc123.js",
    headers: { "if-none-match": String(js.headers.etag) },
  });
  assert.equal(again.statusCode, 304);
  const icon = await a.inject({ url: "/favicon.svg" });
  assert.equal(icon.headers["cache-control"], "no-cache");
  assert.equal(icon.headers["content-type"], "image/svg+xml");
});

test("app routes get index.html; the API, sign-in, short links and ops paths keep their 404s", async () => {
  const a = await app();
  for (const url of ["/", "/p/018cc252", "/seller/orders", "/cart?x=1"]) {
    const res = await a.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<div id=root>/, url);
    assert.equal(res.headers["cache-control"], "no-cache", url);
    assert.match(String(res.headers["content-security-policy"]), /img-src 'self' data: https:/);
  }
  for (const url of [
    "/api/v1/nope",
    "/oauth2/nope",
    "/s/abc",
    "/healthz/x",
    "/metrics/x",
    "/dev/mail/x",
    "/docs/x",
    "/assets/gone.js",
    "/payments/x",
  ]) {
    const res = await a.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.match(String(res.headers["content-type"]), /problem\+json/, url);
  }
  assert.equal((await a.inject({ url: "/api/v1/ping" })).json().ok, true);
  assert.equal((await a.inject({ method: "POST", url: "/cart" })).statusCode, 404);
  assert.equal((await a.inject({ url: "/..%2f..%2fetc%2fpasswd" })).statusCode, 404);
});

test("reserved paths are matched per segment", () => {
  assert.equal(isReservedPath("/api"), true);
  assert.equal(isReservedPath("/api/v1/x"), true);
  assert.equal(isReservedPath("/apiary"), false);
  assert.equal(isReservedPath("/shop/s"), false);
  assert.equal(isReservedPath("/s/code"), true);
  assert.equal(StaticSite.open(join(root, "missing")), undefined);
});
