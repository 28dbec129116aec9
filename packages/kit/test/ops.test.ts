// The ops port: /healthz, /readyz with named checks, /metrics with gRPC metrics.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestService, type TestService } from "@toko/testing";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho } from "./support/echo-service.ts";

let databaseUp = true;
let svc: TestService;
let hangs = false;
before(async () => {
  svc = await startTestService(() =>
    startEcho(undefined, {
      readinessTimeoutMs: 200,
      readiness: {
        database: async () => {
          if (!databaseUp) throw new Error("connection refused");
        },
        bus: () => (hangs ? new Promise(() => {}) : Promise.resolve()),
      },
    }),
  );
});
after(() => svc.stop());

test("/healthz answers 200", async () => {
  const res = await fetch(`${svc.opsUrl}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});

test("/readyz is 200 when every check passes and 503 naming the failing ones", async () => {
  let res = await fetch(`${svc.opsUrl}/readyz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ready" });

  databaseUp = false;
  hangs = true;
  res = await fetch(`${svc.opsUrl}/readyz`);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), { status: "not_ready", failing: ["database", "bus"] });

  databaseUp = true;
  hangs = false;
  assert.equal((await fetch(`${svc.opsUrl}/readyz`)).status, 200);
});

test("/metrics exposes server and client call metrics by service, method and code", async () => {
  const client = svc.client(EchoServiceClient);
  await client.echo({ message: "m", failWithCode: "" });
  await assert.rejects(client.echo({ message: "m", failWithCode: "not_found:X" }));
  const res = await fetch(`${svc.opsUrl}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
  const body = await res.text();
  for (const side of ["server", "client"]) {
    assert.match(
      body,
      new RegExp(
        `toko_grpc_${side}_handled_total\\{service="toko.kittest.v1.EchoService",method="Echo",code="OK"\\} [1-9]`,
      ),
    );
    assert.match(
      body,
      new RegExp(
        `toko_grpc_${side}_handled_total\\{service="toko.kittest.v1.EchoService",method="Echo",code="NOT_FOUND"\\} [1-9]`,
      ),
    );
    assert.match(
      body,
      new RegExp(
        `toko_grpc_${side}_duration_seconds_bucket\\{le="[^"]+",service="toko.kittest.v1.EchoService",method="Echo",code="OK"\\}`,
      ),
    );
  }
  assert.match(body, /process_cpu_seconds_total/);
});

test("unknown paths are 404", async () => {
  assert.equal((await fetch(`${svc.opsUrl}/nope`)).status, 404);
});
