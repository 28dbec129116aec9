// Trace context, request id and principal follow a call across two hops.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { startTestService, TEST_INTERNAL_SECRET, type TestService, testPrincipal } from "@toko/testing";
import { createClient, initTelemetry, type PromiseClient } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { type EchoHooks, startEcho, testEnv } from "./support/echo-service.ts";

const exporter = new InMemorySpanExporter();
const telemetry = initTelemetry("kit-test", testEnv(), { spanExporter: exporter });
let back: TestService;
let front: TestService;
let downstream: PromiseClient<EchoServiceClient>;
before(async () => {
  back = await startTestService(() => startEcho());
  downstream = createClient(EchoServiceClient, back.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  const hooks: EchoHooks = {
    hits: new Map(),
    downstream: async () => JSON.stringify(await downstream.whoAmI({})),
  };
  front = await startTestService(() => startEcho(hooks));
});
after(async () => {
  downstream.close();
  await front.stop();
  await back.stop();
  await telemetry.shutdown();
});

test("one trace spans client -> front -> back, with request id and principal passed on", async () => {
  exporter.reset();
  const client = front.client(EchoServiceClient, { principal: testPrincipal("alice", ["buyer"]) });
  const reply = await client.echo({ message: "downstream", failWithCode: "" }, { requestId: "req-trace-1" });
  const seen = JSON.parse(reply.message) as { subject: string; traceId: string; requestId: string };
  assert.equal(seen.subject, "alice");
  assert.equal(seen.requestId, "req-trace-1");

  const spans = exporter.getFinishedSpans();
  const find = (kind: SpanKind, path: string) => {
    const span = spans.find((s) => s.kind === kind && s.name === path);
    assert.ok(span, `span ${SpanKind[kind]} ${path} among ${spans.map((s) => s.name).join(", ")}`);
    return span;
  };
  const outerClient = find(SpanKind.CLIENT, "/toko.kittest.v1.EchoService/Echo");
  const frontServer = find(SpanKind.SERVER, "/toko.kittest.v1.EchoService/Echo");
  const hopClient = find(SpanKind.CLIENT, "/toko.kittest.v1.EchoService/WhoAmI");
  const backServer = find(SpanKind.SERVER, "/toko.kittest.v1.EchoService/WhoAmI");
  const traceId = outerClient.spanContext().traceId;
  for (const span of [frontServer, hopClient, backServer]) assert.equal(span.spanContext().traceId, traceId);
  assert.equal(seen.traceId, traceId);
  assert.equal(frontServer.parentSpanContext?.spanId, outerClient.spanContext().spanId);
  assert.equal(hopClient.parentSpanContext?.spanId, frontServer.spanContext().spanId);
  assert.equal(backServer.parentSpanContext?.spanId, hopClient.spanContext().spanId);
});

test("separate calls get separate traces", async () => {
  const client = front.client(EchoServiceClient);
  const a = await client.whoAmI({});
  const b = await client.whoAmI({});
  assert.match(a.traceId, /^[0-9a-f]{32}$/);
  assert.notEqual(a.traceId, b.traceId);
  assert.notEqual(a.requestId, b.requestId, "the server assigns a request id when none is sent");
});
