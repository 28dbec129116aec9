// Graceful shutdown: health flips to NOT_SERVING, in-flight calls finish within the grace
// period and are cut after it, then the onShutdown hooks run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestService, waitFor } from "@toko/testing";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { type EchoHooks, startEcho, testEnv } from "./support/echo-service.ts";
import { healthClient } from "./support/health-client.ts";

test("health goes SERVING -> NOT_SERVING, in-flight calls drain, then hooks run", async () => {
  const hooks: EchoHooks = { hits: new Map() };
  const events: string[] = [];
  const svc = await startTestService(() =>
    startEcho(hooks, {
      env: testEnv({ SHUTDOWN_GRACE_MS: "10000" }),
      onShutdown: [async () => void events.push("hook")],
    }),
  );
  const health = healthClient(svc.grpcAddress);
  const statuses: string[] = [];
  const watch = health.watch({ service: "toko.kittest.v1.EchoService" });
  watch.on("data", (m: { status: string }) => statuses.push(m.status));
  watch.on("error", () => {});
  await waitFor(() => statuses.length > 0, "first health status");
  assert.deepEqual(statuses, ["SERVING"]);

  const client = svc.client(EchoServiceClient);
  const inFlight = client.slow({ delayMs: 400 }).then((r) => {
    events.push("call done");
    return r;
  });
  await waitFor(() => hooks.hits.get("slow") === 1, "slow call to start");
  const stopped = svc.service.stop().then(() => events.push("stopped"));
  await waitFor(() => statuses.includes("NOT_SERVING"), "NOT_SERVING");
  const ready = await fetch(`${svc.opsUrl}/readyz`);
  assert.equal(ready.status, 503);
  assert.deepEqual(await ready.json(), { status: "shutting_down", failing: [] });

  assert.deepEqual(await inFlight, { waitedMs: 400 });
  await stopped;
  assert.deepEqual(events, ["call done", "hook", "stopped"]);
  assert.equal(hooks.aborted ?? 0, 0);
  watch.cancel();
  health.close();
  await svc.stop();
});

test("calls still running at the end of the grace period are cut", async () => {
  const hooks: EchoHooks = { hits: new Map() };
  const svc = await startTestService(() => startEcho(hooks, { env: testEnv({ SHUTDOWN_GRACE_MS: "150" }) }));
  const client = svc.client(EchoServiceClient, { deadlineMs: 30_000 });
  const call = client.slow({ delayMs: 20_000 });
  await waitFor(() => hooks.hits.get("slow") === 1, "slow call to start");
  await svc.stop();
  assert.equal(hooks.aborted, 1, "the handler's signal was aborted");
  await assert.rejects(call, "the caller sees the call fail rather than hang");
});

test("new calls are refused once shutdown has begun", async () => {
  const svc = await startTestService(() => startEcho());
  await svc.service.stop();
  const client = svc.client(EchoServiceClient, { deadlineMs: 2_000 });
  await assert.rejects(client.echo({ message: "late", failWithCode: "" }));
  await svc.stop();
});
