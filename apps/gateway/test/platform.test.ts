import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Type } from "@sinclair/typebox";
import { json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

let issuer: TestIssuer;
let gw: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  gw = await startGateway(
    issuer,
    { TOKO_CORS_ORIGINS: "https://shop.example, https://admin.example" },
    {
      extraRoutes: (app) =>
        app.post(
          "/test/echo",
          {
            schema: {
              body: Type.Object({ name: Type.String({ minLength: 2 }), qty: Type.Integer({ minimum: 1 }) }),
            },
          },
          async (request) => request.body,
        ),
    },
  );
});
after(async () => {
  await gw.close();
  await issuer.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

describe("problem+json and request ids", () => {
  it("answers an unknown route with a 404 problem and a generated request id", async () => {
    const res = await fetch(`${gw.url}/api/v1/nope`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
    const body = await json(res);
    assert.equal(body.code, "NOT_FOUND");
    assert.equal(body.status, 404);
    assert.equal(typeof body.type, "string");
    assert.equal(typeof body.title, "string");
    assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });

  it("echoes a well-formed client request id and replaces a malformed one", async () => {
    const ok = await fetch(`${gw.url}/healthz`, { headers: { "x-request-id": "client-req-0001" } });
    assert.equal(ok.headers.get("x-request-id"), "client-req-0001");
    const bad = await fetch(`${gw.url}/healthz`, {
      headers: { "x-request-id": "<script>alert(1)</script>" },
    });
    assert.notEqual(bad.headers.get("x-request-id"), "<script>alert(1)</script>");
    assert.match(bad.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });

  it("rejects malformed JSON with 400 MALFORMED_JSON", async () => {
    const res = await post("/test/echo", '{"name": "ab", ');
    assert.equal(res.status, 400);
    assert.equal((await json(res)).code, "MALFORMED_JSON");
    assert.ok(res.headers.get("x-request-id"));
  });

  it("rejects a 10 MB body with 413 PAYLOAD_TOO_LARGE and keeps serving", async () => {
    const big = JSON.stringify({ name: "x".repeat(10 * 1024 * 1024), qty: 1 });
    const res = await post("/test/echo", big);
    assert.equal(res.status, 413);
    assert.equal((await json(res)).code, "PAYLOAD_TOO_LARGE");
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
  });

  it("reports schema violations as 422 VALIDATION_FAILED with field errors", async () => {
    const res = await post("/test/echo", JSON.stringify({ name: "a", qty: 0, extra: true }));
    assert.equal(res.status, 422);
    const body = await json(res);
    assert.equal(body.code, "VALIDATION_FAILED");
    const fields = (body.errors as { field: string }[]).map((e) => e.field);
    assert.ok(fields.length > 0);
    assert.ok(
      fields.every((f) => ["name", "qty", "extra"].includes(f)),
      fields.join(),
    );
  });

  it("refuses a non-JSON content type with 415", async () => {
    const res = await post("/test/echo", "name=ab", { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(res.status, 415);
    assert.equal((await json(res)).code, "UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("hardening headers", () => {
  it("sets security headers on every response", async () => {
    const res = await fetch(`${gw.url}/healthz`);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.match(res.headers.get("strict-transport-security") ?? "", /max-age=\d+/);
    assert.ok(res.headers.get("content-security-policy"));
    assert.equal(res.headers.get("x-powered-by"), null);
  });

  it("allows CORS only for configured origins", async () => {
    const allowed = await fetch(`${gw.url}/healthz`, { headers: { origin: "https://shop.example" } });
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://shop.example");
    assert.match(allowed.headers.get("access-control-expose-headers") ?? "", /x-request-id/);
    const other = await fetch(`${gw.url}/healthz`, { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const preflight = await fetch(`${gw.url}/api/v1/links`, {
      method: "OPTIONS",
      headers: {
        origin: "https://admin.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, idempotency-key",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "https://admin.example");
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /idempotency-key/);
  });
});

describe("OpenAPI and operations", () => {
  it("serves a valid OpenAPI 3.1 document that documents the short-link API", async () => {
    const res = await fetch(`${gw.url}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, "3.1.0");
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.ok(doc.paths["/api/v1/links"]?.post);
    assert.ok(doc.paths["/api/v1/links/{code}/stats"]?.get);
    assert.equal(doc.paths["/test/echo"] !== undefined, true);
  });

  it("renders the docs page", async () => {
    const res = await fetch(`${gw.url}/docs/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /swagger/i);
  });

  it("is alive, stays ready while its service is down (reporting it), and exposes metrics", async () => {
    assert.deepEqual(await json(await fetch(`${gw.url}/healthz`)), { status: "ok" });
    const ready = await fetch(`${gw.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual((await json(ready)).services, { shortener: "unavailable" });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /gateway_http_requests_total\{method="GET",route="\/healthz",status="200"\}/);
    assert.match(metrics, /gateway_upstream_up\{service="shortener"\} 0/);
  });
});
