import {
  Agent,
  type ClientRequest,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import { OAuth2AdminServiceClient } from "@toko/contracts/toko/oauth2/v1/oauth2";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RateLimitSetting } from "../config.ts";
import { HttpProblem, sendProblem } from "../problem.ts";
import { defineRouteModule } from "./route-module.ts";

const UPSTREAM_TIMEOUT_MS = 10_000;

// Hop-by-hop headers (RFC 9110 §7.6.1) and what the proxy sets itself never pass through.
const dropRequest = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "host",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
]);
const dropResponse = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "trailer",
  "content-length",
]);
const MAX_RESPONSE_BYTES = 1_048_576;

function forwardedHeaders(request: FastifyRequest, publicOrigin: URL): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!dropRequest.has(name) && value !== undefined) headers[name] = value;
  }
  // The issuer is `{origin}/oauth2`: oidc-provider builds its URLs from these (it trusts only us).
  headers["x-forwarded-host"] = publicOrigin.host;
  headers["x-forwarded-proto"] = publicOrigin.protocol.replace(":", "");
  headers["x-forwarded-for"] = request.ip;
  headers["x-request-id"] = request.id;
  return headers;
}

function tooLarge(reply: FastifyReply): void {
  // The rest of the body is never read: close the connection rather than drain an oversized upload.
  reply.header("connection", "close");
  sendProblem(reply, new HttpProblem(413, "PAYLOAD_TOO_LARGE", "the request body is too large"));
}

function proxy(target: URL, publicOrigin: URL, agent: Agent, bodyLimitBytes: number) {
  return (request: FastifyRequest, reply: FastifyReply): Promise<void> =>
    new Promise<void>((resolve) => {
      // A declared length over the limit is refused before the authorization server is dialled.
      const declared = Number(request.headers["content-length"] ?? 0);
      if (declared > bodyLimitBytes) {
        tooLarge(reply);
        return resolve();
      }
      const upstream = httpRequest(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: forwardedHeaders(request, publicOrigin),
          agent,
          timeout: UPSTREAM_TIMEOUT_MS,
        },
        (response: IncomingMessage) => {
          // Protocol responses are small (JSON, a login page): buffered, so the platform's
          // onSend hooks see an ordinary body rather than a stream.
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) upstream.destroy(new Error("upstream response too large"));
            else chunks.push(chunk);
          });
          response.on("end", () => {
            if (reply.sent) return resolve();
            reply.code(response.statusCode ?? 502);
            for (const [name, value] of Object.entries(response.headers)) {
              if (!dropResponse.has(name) && value !== undefined) reply.header(name, value);
            }
            reply.send(Buffer.concat(chunks));
            resolve();
          });
          response.on("error", (error) => upstream.destroy(error));
        },
      );
      upstream.on("timeout", () => upstream.destroy(new Error("upstream timeout")));
      upstream.on("error", (error) => {
        if (reply.sent) return resolve();
        request.log.warn({ err: error }, "oauth2 upstream unavailable");
        sendProblem(
          reply,
          new HttpProblem(503, "SERVICE_UNAVAILABLE", "the authorization server is unavailable", {
            headers: { "retry-after": "1" },
          }),
        );
        resolve();
      });
      forwardBody(request, upstream, bodyLimitBytes, () => {
        // Answer first, so the upstream's abort error finds the reply sent and stays quiet.
        tooLarge(reply);
        upstream.destroy();
        resolve();
      });
    });
}

/**
 * Streams the unparsed body (see the content type parser below) to the upstream with
 * back-pressure, counting bytes: Fastify's bodyLimit never sees it, so the limit is kept here,
 * and no byte past it reaches the authorization server.
 */
function forwardBody(
  request: FastifyRequest,
  upstream: ClientRequest,
  limit: number,
  onTooLarge: () => void,
): void {
  const body = request.raw;
  let received = 0;
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limit) {
      body.off("data", onData);
      body.pause();
      onTooLarge();
    } else if (!upstream.write(chunk)) {
      body.pause();
    }
  };
  body.on("data", onData);
  upstream.on("drain", () => body.resume());
  body.on("end", () => upstream.end());
  // A client that goes away mid-upload must not leave a half-sent request open upstream.
  body.on("close", () => {
    if (!body.readableEnded) upstream.destroy(new Error("client aborted the request"));
  });
}

/**
 * Serves the issuer at `{origin}/oauth2` by forwarding `/oauth2` and `/oauth2/*` unchanged to
 * the oauth2 service's HTTP port, with X-Forwarded-* naming the public origin.
 */
export async function registerOAuth2Proxy(
  app: FastifyInstance,
  options: { target: string; publicOrigin: string; bodyLimitBytes: number; loginRateLimit: RateLimitSetting },
): Promise<void> {
  const target = new URL(options.target);
  const publicOrigin = new URL(options.publicOrigin);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  app.addHook("onClose", async () => agent.destroy());
  await app.register(async (scope) => {
    // Forms and JSON go to oidc-provider untouched, so the gateway parses no body here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
    const handler = proxy(target, publicOrigin, agent, options.bodyLimitBytes);
    const route = {
      // The authorization server applies its own limits per client; the edge's stay in place
      // (the body limit is counted while streaming, in forwardBody).
      config: { auth: "passthrough" as const },
      schema: { hide: true },
    };
    scope.all("/oauth2", route, handler);
    scope.all("/oauth2/*", route, handler);
    // Each posted login form costs a password hash: its own, stricter budget per client address.
    scope.post(
      "/oauth2/interaction/:uid/login",
      { ...route, config: { ...route.config, rateLimit: options.loginRateLimit } },
      handler,
    );
  });
}

/** The `/oauth2/*` edge: registered with the oauth2 service (its health is part of /readyz). */
export const oauth2ProxyModule = defineRouteModule({
  service: "oauth2",
  client: OAuth2AdminServiceClient,
  async register(app, _upstream, settings) {
    await registerOAuth2Proxy(app, {
      target: settings.oauth2HttpUrl,
      publicOrigin: settings.publicOrigin,
      bodyLimitBytes: settings.bodyLimitBytes,
      loginRateLimit: settings.strictRateLimits.login,
    });
  },
});
