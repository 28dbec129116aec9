// GRPC_DEADLINE_SCALE stretches every call's deadline for a slow machine; the service's config
// refuses a value that is not a sane factor.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { status as Status } from "@grpc/grpc-js";
import { startTestService, type TestService } from "@toko/testing";
import { z } from "zod";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho } from "./support/echo-service.ts";

// Read once per process, at the first call: set before anything calls.
process.env.GRPC_DEADLINE_SCALE = "8";
const { ConfigError, createClient, loadConfig, RemoteCallError, serviceEnvShape } = await import(
  "../src/index.ts"
);

let svc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho());
});
after(() => svc.stop());

test("a call's deadline is multiplied by GRPC_DEADLINE_SCALE", async () => {
  const client = createClient(EchoServiceClient, svc.grpcAddress, { deadlineMs: 100 });
  try {
    // 100 ms × 8: a 300 ms answer is in time.
    assert.deepEqual(await client.slow({ delayMs: 300 }), { waitedMs: 300 });
    // And still a deadline: 50 ms × 8 = 400 ms is shorter than 2 s.
    await assert.rejects(client.slow({ delayMs: 2_000 }, { deadlineMs: 50 }), (e: unknown) => {
      assert.ok(e instanceof RemoteCallError);
      assert.equal(e.status, Status.DEADLINE_EXCEEDED);
      return true;
    });
  } finally {
    client.close();
  }
});

test("a service refuses to start with a scale that is not between 0.1 and 100", () => {
  for (const bad of ["0", "-1", "1000", "fast"]) {
    assert.throws(
      () => loadConfig("echo", z.object(serviceEnvShape), { GRPC_DEADLINE_SCALE: bad }),
      (e: unknown) => e instanceof ConfigError && e.message.includes("GRPC_DEADLINE_SCALE"),
      bad,
    );
  }
  assert.equal(
    loadConfig("echo", z.object(serviceEnvShape), { GRPC_DEADLINE_SCALE: "2.5" }).GRPC_DEADLINE_SCALE,
    2.5,
  );
});
