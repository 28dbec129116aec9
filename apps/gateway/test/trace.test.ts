import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { initTelemetry } from "@toko/kit";
import { waitForValue } from "@toko/testing";
import { CHECKOUT_SERVICES, type Marketplace, startMarketplace } from "./helpers/marketplace.ts";

// One checkout is one trace: the gateway (in this process, spans kept in memory) and every
// service it reaches as a real process exporting OTLP/HTTP to a collector this test runs.
// The trace continues through gRPC metadata and through the event envelope into consumers.

/** A span as the collector received it. */
interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
}
const SERVER = 2;
const CONSUMER = 5;

/** OTLP/JSON ids are hex; tolerate base64 too. */
function hexId(id: unknown): string {
  if (typeof id !== "string") return "";
  return /^[0-9a-f]*$/i.test(id) ? id.toLowerCase() : Buffer.from(id, "base64").toString("hex");
}

/** A minimal OTLP/HTTP (JSON) trace collector: POST /v1/traces, spans kept in memory. */
async function startCollector(): Promise<{ url: string; spans: CollectedSpan[]; close(): Promise<void> }> {
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      if (!String(req.headers["content-type"]).startsWith("application/json")) {
        res.writeHead(415).end();
        return;
      }
      // biome-ignore lint/suspicious/noExplicitAny: the OTLP/JSON request, read field by field
      const request = JSON.parse(body.toString("utf8")) as any;
      for (const rs of request.resourceSpans ?? []) {
        const service = (rs.resource?.attributes ?? []).find((a: { key: string }) => a.key === "service.name")
          ?.value?.stringValue;
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service,
              traceId: hexId(s.traceId),
              spanId: hexId(s.spanId),
              parentSpanId: hexId(s.parentSpanId),
              name: s.name,
              kind: s.kind,
            });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const exporter = new InMemorySpanExporter();
const telemetry = initTelemetry("gateway", { TRACE_EXPORTER: "none" }, { spanExporter: exporter });
let collector: Awaited<ReturnType<typeof startCollector>>;
let market: Marketplace;

before(
  async () => {
    collector = await startCollector();
    market = await startMarketplace({
      services: [...CHECKOUT_SERVICES, "notification"],
      // What an operator sets in toko-config (deploy/README.md, "Tracing").
      common: {
        TRACE_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: "100",
      },
    });
    // Nine processes starting on a loaded machine outlast the runner's per-test default.
  },
  { timeout: 420_000 },
);
after(async () => {
  await market?.stop();
  await Promise.all([collector?.close(), telemetry.shutdown()]);
});

describe("one trace per checkout", () => {
  it("covers the gateway, order, inventory and payment, and the consumers of the events it published", async () => {
    const { api } = market;
    const { variantId } = await api.newShop(5, 80_000);
    const buyer = await api.newBuyer();
    const shipping = await api.fill(buyer, variantId, 2);

    const checkout = await api.ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      { address_id: buyer.addressId, shipping, payment_method: "bank_transfer_va", payment_channel: "bni" },
      201,
      { "idempotency-key": randomUUID() },
    );
    assert.equal(checkout.orders.length, 1);

    // The gateway's span for the request is the root of the trace.
    const root = await waitForValue(
      async () =>
        exporter
          .getFinishedSpans()
          .find(
            (s: ReadableSpan) =>
              s.name === "POST /api/v1/checkout" && s.attributes["http.response.status_code"] === 201,
          ),
      "the gateway's checkout span",
      10_000,
    );
    const traceId = root.spanContext().traceId;
    assert.equal(root.parentSpanContext, undefined, "the edge starts the trace");
    // Every other request had a trace of its own.
    const otherTraces = new Set(
      exporter
        .getFinishedSpans()
        .filter((s) => s.name.startsWith("POST ") && s !== root)
        .map((s) => s.spanContext().traceId),
    );
    assert.equal(otherTraces.has(traceId), false);

    const inTrace = (service: string, kind: number, name?: RegExp) =>
      collector.spans.find(
        (s) =>
          s.traceId === traceId && s.service === service && s.kind === kind && (!name || name.test(s.name)),
      );
    const expected: [string, number, RegExp?][] = [
      ["order", SERVER, /Checkout/],
      ["inventory", SERVER],
      ["payment", SERVER],
      ["notification", CONSUMER, /^handle toko\.order\.v1\.OrderPlaced$/],
    ];
    const found = await waitForValue(
      async () => {
        const spans = expected.map(([service, kind, name]) => inTrace(service, kind, name));
        return spans.every(Boolean) ? (spans as CollectedSpan[]) : undefined;
      },
      `spans of trace ${traceId} from ${expected.map(([s]) => s).join(", ")}`,
      60_000,
    ).catch((error: unknown) => {
      const seen = collector.spans
        .filter((s) => s.traceId === traceId)
        .map((s) => `${s.service}:${s.kind}:${s.name}`);
      throw new Error(`${(error as Error).message}; the trace has ${JSON.stringify(seen)}`);
    });
    const [orderSpan] = found as [CollectedSpan];
    // order's server span is a child of the gateway's call: the context crossed the process.
    const gatewayCalls = new Set(
      exporter
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === traceId)
        .map((s) => s.spanContext().spanId),
    );
    assert.ok(gatewayCalls.has(orderSpan.parentSpanId), "order's span hangs off a gateway span");
  });
});
