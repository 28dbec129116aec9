// The caller's principal travels HMAC-signed in metadata; the server verifies it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { startTestService, TEST_INTERNAL_SECRET, type TestService, testPrincipal } from "@toko/testing";
import { type CallContext, DomainError, requirePrincipal, signPrincipal } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho, testEnv } from "./support/echo-service.ts";
import { rawEchoClient, rawUnary } from "./support/raw-client.ts";

let svc: TestService;
let devSvc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho());
  const env = { ...testEnv(), TOKO_INTERNAL_SECRET: undefined, TOKO_ALLOW_UNSIGNED_PRINCIPALS: true };
  devSvc = await startTestService(() => startEcho(undefined, { env }));
});
after(async () => {
  await svc.stop();
  await devSvc.stop();
});

const alice = testPrincipal("alice", ["buyer", "seller"]);

test("a signed principal reaches the handler", async () => {
  const client = svc.client(EchoServiceClient, { principal: alice });
  const me = await client.whoAmI({});
  assert.equal(me.subject, "alice");
  assert.deepEqual(me.roles, ["buyer", "seller"]);
});

test("per-call additions never leak into the principal's shared metadata", async () => {
  // The client builds a principal's metadata once and reuses it; a call that adds a request id
  // must work on a copy, so the next call with the same principal does not carry it.
  const client = svc.client(EchoServiceClient, { principal: alice });
  const first = await client.whoAmI({}, { requestId: "req-one" });
  const second = await client.whoAmI({});
  const third = await client.whoAmI({}, { requestId: "req-three" });
  assert.equal(first.requestId, "req-one");
  assert.notEqual(second.requestId, "req-one");
  assert.equal(third.requestId, "req-three");
  assert.deepEqual([first.subject, second.subject, third.subject], ["alice", "alice", "alice"]);
});

test("a call without a principal is anonymous", async () => {
  const me = await svc.client(EchoServiceClient).whoAmI({});
  assert.equal(me.subject, "");
});

test("a forged principal is UNAUTHENTICATED", async () => {
  const { header } = signPrincipal(testPrincipal("mallory", ["admin"]), TEST_INTERNAL_SECRET, "kittest");
  const { signature } = signPrincipal(alice, TEST_INTERNAL_SECRET, "kittest");
  const raw = rawEchoClient(svc.grpcAddress);
  try {
    const forged = new grpc.Metadata();
    forged.set("x-toko-principal", header);
    forged.set("x-toko-principal-sig", signature);
    assert.equal((await rawUnary(raw, "whoAmI", {}, forged)).code, grpc.status.UNAUTHENTICATED);

    const unsigned = new grpc.Metadata();
    unsigned.set("x-toko-principal", header);
    assert.equal((await rawUnary(raw, "whoAmI", {}, unsigned)).code, grpc.status.UNAUTHENTICATED);

    const wrongKey = new grpc.Metadata();
    const other = signPrincipal(
      testPrincipal("mallory", ["admin"]),
      "another-secret-of-enough-length",
      "kittest",
    );
    wrongKey.set("x-toko-principal", other.header);
    wrongKey.set("x-toko-principal-sig", other.signature);
    assert.equal((await rawUnary(raw, "whoAmI", {}, wrongKey)).code, grpc.status.UNAUTHENTICATED);
  } finally {
    raw.close();
  }
});

test("a correctly signed but expired principal is UNAUTHENTICATED (no replay)", async () => {
  const { createHmac } = await import("node:crypto");
  const sign = (exp: number) => {
    const header = Buffer.from(
      JSON.stringify({ sub: "alice", roles: ["buyer"], scopes: [], aud: "kittest", exp }),
    ).toString("base64url");
    return { header, signature: createHmac("sha256", TEST_INTERNAL_SECRET).update(header).digest("hex") };
  };
  const raw = rawEchoClient(svc.grpcAddress);
  try {
    const call = (signed: { header: string; signature: string }) => {
      const md = new grpc.Metadata();
      md.set("x-toko-principal", signed.header);
      md.set("x-toko-principal-sig", signed.signature);
      return rawUnary(raw, "whoAmI", {}, md);
    };
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await call(sign(now - 120))).code, grpc.status.UNAUTHENTICATED);
    // rawUnary resolves only failures: a fresh header succeeds, so it rejects with the response.
    await assert.rejects(call(sign(now + 120)), /expected a failure, got .*"subject":"alice"/);
  } finally {
    raw.close();
  }
});

test("a client signing with the wrong secret gets the DomainError back", async () => {
  const client = svc.client(EchoServiceClient, {
    principal: alice,
    internalSecret: "not-the-right-secret-at-all",
  });
  await assert.rejects(
    client.whoAmI({}),
    (e: unknown) => e instanceof DomainError && e.kind === "unauthenticated",
  );
});

test("without a secret a service refuses to start unless the insecure mode is named", async () => {
  const env = { ...testEnv(), TOKO_INTERNAL_SECRET: undefined };
  await assert.rejects(startEcho(undefined, { env }), /TOKO_INTERNAL_SECRET: is required/);
});

test("with TOKO_ALLOW_UNSIGNED_PRINCIPALS and no secret, unsigned principals are accepted", async () => {
  const client = devSvc.client(EchoServiceClient, { principal: alice, internalSecret: undefined });
  assert.equal((await client.whoAmI({})).subject, "alice");
});

test("requirePrincipal rejects anonymous contexts", () => {
  const ctx = { principal: undefined } as CallContext;
  assert.throws(
    () => requirePrincipal(ctx),
    (e: unknown) => e instanceof DomainError && e.kind === "unauthenticated",
  );
  assert.equal(requirePrincipal({ principal: alice } as CallContext), alice);
});

test("a per-call principal: null overrides the client's default", async () => {
  const client = svc.client(EchoServiceClient, { principal: alice });
  assert.equal((await client.whoAmI({}, { principal: null })).subject, "");
});

test("trace context propagates with tracing off (no exporter registered)", async () => {
  const { context, ROOT_CONTEXT, trace, TraceFlags } = await import("@opentelemetry/api");
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: "00f067aa0ba902b7",
    traceFlags: TraceFlags.SAMPLED,
  });
  const client = svc.client(EchoServiceClient);
  const me = await context.with(parent, () => client.whoAmI({}));
  assert.equal(me.traceId, traceId);
});
