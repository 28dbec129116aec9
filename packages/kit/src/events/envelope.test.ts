import assert from "node:assert/strict";
import { it } from "node:test";
import { propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { createEnvelope, decodeEnvelope, encodeEnvelope, envelopeContext } from "./envelope.ts";

it("carries the publisher's trace context to the consumer through the envelope bytes", () => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spanContext = {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    traceFlags: 1,
  };
  const publishing = trace.setSpanContext(ROOT_CONTEXT, spanContext);
  const envelope = createEnvelope(
    "order",
    { type: "toko.order.v1.OrderPaid", subject: "o-1", payload: new Uint8Array([1, 2]) },
    publishing,
  );
  assert.equal(envelope.trace?.traceparent, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const received = decodeEnvelope(encodeEnvelope(envelope));
  const consuming = trace.getSpanContext(envelopeContext(received, ROOT_CONTEXT));
  assert.equal(consuming?.traceId, spanContext.traceId);
  assert.equal(consuming?.spanId, spanContext.spanId);
  assert.equal(received.source, "order");
  assert.deepEqual([...received.payload], [1, 2]);
  propagation.disable();
});

it("rejects an event without a qualified type, a subject or a valid source", () => {
  const payload = new Uint8Array();
  assert.throws(
    () => createEnvelope("order", { type: "OrderPaid", subject: "o", payload }),
    /fully qualified/,
  );
  assert.throws(
    () => createEnvelope("order", { type: "toko.order.v1.OrderPaid", subject: "", payload }),
    /subject/,
  );
  assert.throws(
    () => createEnvelope("Order!", { type: "toko.order.v1.OrderPaid", subject: "o", payload }),
    /source/,
  );
});
