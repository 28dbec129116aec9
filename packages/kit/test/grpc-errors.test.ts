// Error mapping over a real gRPC socket: domain errors keep kind/code/violations end to end,
// bugs become INTERNAL without leaking, deadlines surface as RemoteCallError.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as Status } from "@grpc/grpc-js";
import { startTestService, TEST_INTERNAL_SECRET, type TestService } from "@toko/testing";
import { createClient, DomainError, type ErrorKind, RemoteCallError, statusForKind } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho } from "./support/echo-service.ts";
import { rawEchoClient, rawUnary } from "./support/raw-client.ts";

let svc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho());
});
after(() => svc.stop());

const expected: [ErrorKind, Status][] = [
  ["invalid", Status.INVALID_ARGUMENT],
  ["not_found", Status.NOT_FOUND],
  ["conflict", Status.ALREADY_EXISTS],
  ["failed_precondition", Status.FAILED_PRECONDITION],
  ["permission_denied", Status.PERMISSION_DENIED],
  ["unauthenticated", Status.UNAUTHENTICATED],
  ["rate_limited", Status.RESOURCE_EXHAUSTED],
  ["unavailable", Status.UNAVAILABLE],
];

for (const [kind, code] of expected) {
  test(`${kind} maps to ${Status[code]} and back into the same DomainError`, async () => {
    assert.equal(statusForKind(kind), code);
    const raw = rawEchoClient(svc.grpcAddress);
    try {
      const error = await rawUnary(raw, "echo", {
        message: "",
        failWithCode: `${kind}:MY_${kind.toUpperCase()}`,
      });
      assert.equal(error.code, code);
      assert.ok(error.metadata.get("toko-error-bin")[0] instanceof Buffer, "trailer carries the details");
    } finally {
      raw.close();
    }
    const client = svc.client(EchoServiceClient);
    await assert.rejects(
      client.echo({ message: "", failWithCode: `${kind}:MY_${kind.toUpperCase()}` }),
      (e: unknown) => {
        assert.ok(e instanceof DomainError, `got ${String(e)}`);
        assert.equal(e.kind, kind);
        assert.equal(e.code, `MY_${kind.toUpperCase()}`);
        assert.equal(e.message, `failed with ${kind}:MY_${kind.toUpperCase()}`);
        assert.deepEqual(
          e.violations,
          kind === "invalid" ? [{ field: "message", message: "too short" }] : [],
        );
        return true;
      },
    );
  });
}

test("an unexpected error is INTERNAL with a generic message and no internals", async () => {
  const client = svc.client(EchoServiceClient);
  await assert.rejects(client.echo({ message: "", failWithCode: "boom" }), (e: unknown) => {
    assert.ok(e instanceof RemoteCallError, `got ${String(e)}`);
    assert.equal(e.status, Status.INTERNAL);
    assert.equal(e.method, "/toko.kittest.v1.EchoService/Echo");
    assert.doesNotMatch(e.message, /hunter2|password/);
    return true;
  });
});

test("a call past its deadline fails with DEADLINE_EXCEEDED", async () => {
  const client = svc.client(EchoServiceClient);
  await assert.rejects(client.slow({ delayMs: 2_000 }, { deadlineMs: 100 }), (e: unknown) => {
    assert.ok(e instanceof RemoteCallError);
    assert.equal(e.status, Status.DEADLINE_EXCEEDED);
    return true;
  });
  // The server is still healthy afterwards.
  assert.deepEqual(await client.slow({ delayMs: 1 }), { waitedMs: 1 });
});

test("calling a server that is not there is a RemoteCallError UNAVAILABLE", async () => {
  const { createClient } = await import("../src/index.ts");
  const client = createClient(EchoServiceClient, "127.0.0.1:1", { deadlineMs: 1_000 });
  try {
    await assert.rejects(client.echo({ message: "x", failWithCode: "" }), (e: unknown) => {
      assert.ok(e instanceof RemoteCallError);
      assert.equal(e.status, Status.UNAVAILABLE);
      return true;
    });
  } finally {
    client.close();
  }
});

test("a response that cannot be encoded is INTERNAL, and the server keeps serving", async () => {
  const client = svc.client(EchoServiceClient);
  await assert.rejects(client.echo({ message: "unencodable", failWithCode: "" }), (error: unknown) => {
    assert.ok(error instanceof RemoteCallError, `got ${String(error)}`);
    assert.equal(error.status, Status.INTERNAL);
    return true;
  });
  assert.equal((await client.echo({ message: "still here", failWithCode: "" })).message, "still here");
});

test("a service this call needs being down answers UNAVAILABLE (retryable), not INTERNAL", async () => {
  // A second echo whose Echo "downstream" calls a service that is not running.
  const dead = await startTestService(() => startEcho());
  const deadAddress = dead.grpcAddress;
  await dead.stop();
  const toDead = createClient(EchoServiceClient, deadAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
    deadlineMs: 2_000,
  });
  const front = await startTestService(() =>
    startEcho({
      hits: new Map(),
      downstream: async () => (await toDead.echo({ message: "x", failWithCode: "" })).message,
    }),
  );
  try {
    await assert.rejects(
      front.client(EchoServiceClient).echo({ message: "downstream", failWithCode: "" }),
      (e: unknown) => {
        assert.ok(e instanceof DomainError, `got ${String(e)}`);
        assert.equal(e.kind, "unavailable");
        assert.equal(e.code, "SERVICE_UNAVAILABLE");
        return true;
      },
    );
  } finally {
    toDead.close();
    await front.stop();
  }
});
