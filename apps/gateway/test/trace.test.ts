import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { initTelemetry } from "@toko/kit";
import {
  createTestDatabase,
  freePort,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitForValue,
} from "@toko/testing";
import { routeModules } from "../src/routes/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// One checkout is one trace: the gateway (in this process, spans kept in memory) and every
// service it reaches as a real process exporting OTLP/HTTP to a collector this test runs.
// The trace continues through gRPC metadata and through the event envelope into consumers.
const services = join(import.meta.dirname, "..", "..", "..", "services");

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
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
const children: ServiceProcess[] = [];
let gateway: RunningGateway;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked where used
type Json = Record<string, any>;

async function ok(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  status = 200,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${path}: ${text}`);
  return (text.startsWith("{") ? JSON.parse(text) : {}) as Json;
}

async function register(seller: boolean) {
  const created = await ok(
    "POST",
    "/api/v1/users",
    null,
    {
      email: `${seller ? "seller" : "buyer"}-${randomUUID()}@toko.test`,
      password: "Kopi-Gayo-2024!",
      name: seller ? "Penjual" : "Pembeli",
      phone: "+6281234567890",
    },
    201,
  );
  const roles = seller ? ["buyer", "seller"] : ["buyer"];
  return {
    id: created.id as string,
    token: await issuer.mint(created.id, { roles, scope: `openid ${roles.join(" ")}` }),
  };
}

before(
  async () => {
    collector = await startCollector();
    issuer = await startTestIssuer();
    dbs = await Promise.all(Array.from({ length: 9 }, () => createTestDatabase()));
    const [userDb, productDb, inventoryDb, busDb, cartDb, shippingDb, paymentDb, orderDb, notificationDb] =
      dbs as [
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
        TestDatabase,
      ];
    const common = {
      TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
      EVENT_BUS: "postgres",
      BUS_DATABASE_URL: busDb.url,
      // What an operator sets in toko-config (deploy/README.md, "Tracing").
      TRACE_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: "100",
    };
    const ready = { readyTimeoutMs: 300_000 };
    // Every address is chosen first, so all start at once: none needs another to start.
    const names = ["user", "product", "inventory", "cart", "shipping", "payment", "order", "notification"];
    const ports = await Promise.all(names.map(() => freePort()));
    const addr = (name: string): string => `127.0.0.1:${ports[names.indexOf(name)]}`;
    const grpcPort = (name: string) => String(ports[names.indexOf(name)]);
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const start = async (name: string, env: Record<string, string>) => {
      const p = await startServiceProcess(
        join(services, name),
        { ...common, GRPC_PORT: grpcPort(name), ...env },
        ready,
      );
      children.push(p);
      return p;
    };
    await Promise.all([
      start("user", { DATABASE_URL: userDb.url }),
      start("shipping", {
        DATABASE_URL: shippingDb.url,
        TOKO_ENV: "development",
        SHIPPING_SIMULATOR: "false",
      }),
      start("payment", {
        DATABASE_URL: paymentDb.url,
        TOKO_PUBLIC_ORIGIN: origin,
        PAYMENT_WEBHOOK_URL: `${origin}/api/v1/payments/webhooks/sandbox`,
        PAYMENT_WEBHOOK_SECRET: "trace-test-webhook-secret-0123456789",
      }),
      start("product", { DATABASE_URL: productDb.url, TOKO_USER_ADDR: addr("user") }),
      start("inventory", { DATABASE_URL: inventoryDb.url, TOKO_PRODUCT_ADDR: addr("product") }),
      start("cart", {
        DATABASE_URL: cartDb.url,
        TOKO_PRODUCT_ADDR: addr("product"),
        TOKO_USER_ADDR: addr("user"),
        TOKO_SHIPPING_ADDR: addr("shipping"),
      }),
      start("notification", {
        DATABASE_URL: notificationDb.url,
        TOKO_ENV: "development",
        TOKO_USER_ADDR: addr("user"),
        TOKO_PRODUCT_ADDR: addr("product"),
      }),
      start("order", {
        DATABASE_URL: orderDb.url,
        TOKO_USER_ADDR: addr("user"),
        TOKO_PRODUCT_ADDR: addr("product"),
        TOKO_INVENTORY_ADDR: addr("inventory"),
        TOKO_CART_ADDR: addr("cart"),
        TOKO_SHIPPING_ADDR: addr("shipping"),
        TOKO_PAYMENT_ADDR: addr("payment"),
      }),
    ]);
    gateway = await startGateway(
      issuer,
      {
        GATEWAY_PORT: String(port),
        TOKO_PUBLIC_ORIGIN: origin,
        TOKO_USER_ADDR: addr("user"),
        TOKO_PRODUCT_ADDR: addr("product"),
        TOKO_INVENTORY_ADDR: addr("inventory"),
        TOKO_CART_ADDR: addr("cart"),
        TOKO_SHIPPING_ADDR: addr("shipping"),
        TOKO_PAYMENT_ADDR: addr("payment"),
        TOKO_ORDER_ADDR: addr("order"),
        TOKO_OAUTH2_ADDR: "127.0.0.1:9",
        TOKO_RATE_LIMIT: "100000",
        TOKO_RATE_LIMIT_REGISTER: "100000",
      },
      { modules: routeModules },
    );
    // Nine processes starting on a loaded machine outlast the runner's per-test default.
  },
  { timeout: 420_000 },
);
after(async () => {
  await gateway?.close();
  for (const child of children.reverse()) await child.kill();
  await Promise.all([issuer?.close(), collector?.close(), telemetry.shutdown(), ...dbs.map((d) => d.drop())]);
});

describe("one trace per checkout", () => {
  it("covers the gateway, order, inventory and payment, and the consumers of the events it published", async () => {
    const seller = await register(true);
    const shop = await ok(
      "POST",
      "/api/v1/shops",
      seller.token,
      {
        name: "Toko Kopi",
        slug: `toko-${randomUUID().slice(0, 8)}`,
        city: "Bandung",
        province: "Jawa Barat",
      },
      201,
    );
    assert.ok(shop.id);
    const categories = await ok("GET", "/api/v1/categories", seller.token);
    let leaf = categories.items[0];
    while (leaf.children.length > 0) leaf = leaf.children[0];
    const sku = `KOPI-${randomUUID().slice(0, 6)}`;
    const product = await ok(
      "POST",
      "/api/v1/products",
      seller.token,
      {
        title: "Kopi Gayo 250 g",
        description: "Arabika",
        category_id: leaf.id,
        condition: "new",
        weight_grams: 300,
        variants: [{ sku, options: { Giling: "Biji" }, price: 80_000 }],
      },
      201,
    );
    const warehouse = await ok(
      "POST",
      "/api/v1/seller/warehouses",
      seller.token,
      { name: "Gudang", address: "Jl. Braga 1", city: "Bandung", province: "Jawa Barat", is_default: true },
      201,
    );
    await ok(
      "POST",
      "/api/v1/seller/stock/adjustments",
      seller.token,
      { sku, warehouse_id: warehouse.id, delta: 5, reason: "stock count" },
      201,
    );
    const buyer = await register(false);
    const address = await ok(
      "POST",
      "/api/v1/me/addresses",
      buyer.token,
      {
        label: "Rumah",
        recipient: "Budi",
        phone: "+6281234567890",
        street: "Jl. Merdeka 1",
        district: "Kebayoran Baru",
        city: "Jakarta Selatan",
        province: "DKI Jakarta",
        postal_code: "12110",
        is_default: true,
      },
      201,
    );
    await ok("POST", "/api/v1/cart/items", buyer.token, { variant_id: product.variants[0].id, quantity: 2 });
    const options = await ok("GET", `/api/v1/cart/shipping-options?address_id=${address.id}`, buyer.token);
    const shipping = options.items.map((s: Json) => ({ shop_id: s.shop_id, option_id: s.options[0].id }));

    const checkout = await ok(
      "POST",
      "/api/v1/checkout",
      buyer.token,
      { address_id: address.id, shipping, payment_method: "bank_transfer_va", payment_channel: "bni" },
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
