import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { oauth2ProxyModule } from "../src/routes/oauth2-proxy.ts";
import { type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

const LIMIT = 4096;

/** What the stand-in authorization server saw of one request. */
interface Seen {
  bytes: number;
  complete: boolean;
  closed: Promise<void>;
}

// The gateway is real; behind it a plain HTTP server records what reaches the oauth2 port.
let upstream: Server;
let seen: Seen[] = [];
let onRequest: () => void = () => {};
let gateway: RunningGateway;
let issuer: TestIssuer;

before(async () => {
  upstream = createServer((req, res) => {
    const entry: Seen = { bytes: 0, complete: false, closed: new Promise((r) => req.on("close", r)) };
    seen.push(entry);
    // An aborted upload surfaces as an "aborted" error here; `complete` stays false.
    req.on("error", () => {});
    onRequest();
    req.on("data", (chunk: Buffer) => {
      entry.bytes += chunk.length;
    });
    req.on("end", () => {
      entry.complete = true;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ received: entry.bytes }));
    });
  });
  upstream.listen(0, "127.0.0.1");
  await once(upstream, "listening");
  const { port } = upstream.address() as AddressInfo;
  issuer = await startTestIssuer();
  gateway = await startGateway(
    issuer,
    {
      TOKO_OAUTH2_HTTP_URL: `http://127.0.0.1:${port}`,
      TOKO_OAUTH2_ADDR: "127.0.0.1:9",
      TOKO_BODY_LIMIT_BYTES: String(LIMIT),
    },
    { modules: [oauth2ProxyModule] },
  );
});
after(async () => {
  await gateway.close();
  await issuer.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});
beforeEach(() => {
  seen = [];
  onRequest = () => {};
});

interface Answer {
  status: number;
  type: string | undefined;
  body: Record<string, unknown>;
}

async function answer(res: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return {
    status: res.statusCode ?? 0,
    type: res.headers["content-type"],
    body: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>,
  };
}

/**
 * POSTs a form to /oauth2/token in chunks (no Content-Length unless `declare`), calling
 * `between` before each chunk after the first.
 */
async function post(chunks: Buffer[], options: { declare?: number; between?: () => Promise<void> } = {}) {
  const url = new URL("/oauth2/token", gateway.url);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (options.declare !== undefined) headers["content-length"] = String(options.declare);
  const req = request(url, { method: "POST", headers });
  // Writes after the gateway has answered and closed may fail; the answer is what counts.
  req.on("error", () => {});
  const response = once(req, "response").then(([res]) => answer(res as IncomingMessage));
  for (const [i, chunk] of chunks.entries()) {
    if (i > 0) await options.between?.();
    if (req.destroyed) break;
    req.write(chunk);
  }
  if (!req.destroyed) req.end();
  return response;
}

const form = (size: number): Buffer => Buffer.from(`grant_type=x&pad=${"a".repeat(size - 17)}`);

describe("the /oauth2 proxy keeps the gateway's body limit", () => {
  it("streams a body within the limit through unchanged", async () => {
    const body = form(LIMIT);
    const res = await post([body.subarray(0, 1000), body.subarray(1000)]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { received: LIMIT });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.complete, true);
  });

  it("refuses a declared Content-Length over the limit with 413 before dialling the upstream", async () => {
    const body = form(LIMIT + 1);
    const res = await post([body], { declare: body.length });
    assert.equal(res.status, 413);
    assert.match(res.type ?? "", /^application\/problem\+json/);
    assert.equal(res.body.code, "PAYLOAD_TOO_LARGE");
    assert.equal(res.body.status, 413);
    assert.equal(seen.length, 0, "the authorization server was never called");
  });

  it("counts a chunked body while streaming: 413 past the limit and the upstream request aborted", async () => {
    const reached = new Promise<void>((resolve) => {
      onRequest = resolve;
    });
    const body = form(3 * LIMIT);
    const res = await post([body.subarray(0, 3000), body.subarray(3000, 6000), body.subarray(6000)], {
      // The first chunk is already on its way upstream when the limit is crossed.
      between: () => reached,
    });
    assert.equal(res.status, 413);
    assert.match(res.type ?? "", /^application\/problem\+json/);
    assert.equal(res.body.code, "PAYLOAD_TOO_LARGE");
    assert.equal(seen.length, 1);
    const entry = seen[0];
    assert.ok(entry);
    await entry.closed;
    assert.equal(entry.complete, false, "the upstream request was aborted, not completed");
    assert.ok(entry.bytes <= LIMIT, `upstream received ${entry.bytes} bytes`);
  });
});
