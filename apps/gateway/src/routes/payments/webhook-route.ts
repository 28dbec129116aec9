import type { Static } from "@sinclair/typebox";
import type { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import type { FastifyInstance } from "fastify";
import type { Upstream } from "../../upstreams.ts";
import { problemResponses } from "../problem-schema.ts";
import { ProviderParams, WebhookAck } from "./schemas.ts";

/** Notifications are small; a bigger body is not one. */
const WEBHOOK_BODY_LIMIT = 64 * 1024;
const MAX_FORWARDED_HEADERS = 30;

/** The request's `x-*` headers (where providers put signatures and timestamps), bounded. */
function providerHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith("x-") || typeof value !== "string" || value.length > 1024) continue;
    if (++count > MAX_FORWARDED_HEADERS) break;
    out[name] = value;
  }
  return out;
}

/**
 * `POST /api/v1/payments/webhooks/{provider}`: the body is kept as raw bytes (no JSON parsing)
 * because the signature covers exactly those bytes; the payment service verifies it. Exempt
 * from the per-client rate limit — a provider delivers bursts from a few addresses, and an
 * unsigned request costs one HMAC in the service.
 */
export async function registerWebhookRoute(
  app: FastifyInstance,
  upstream: Upstream<PaymentServiceClient>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post<{ Params: Static<typeof ProviderParams> }>(
      "/api/v1/payments/webhooks/:provider",
      {
        config: { auth: "none", rateLimit: false },
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags: ["Payments"],
          summary: "A payment provider's notification (signed: HMAC-SHA256 over timestamp and raw body)",
          description:
            "Verified by the payment service: a bad signature, a stale timestamp or a replayed signature is 401 with no effect; a notification already handled is acknowledged with `duplicate: true`.",
          params: ProviderParams,
          response: { 200: WebhookAck, ...problemResponses(401, 404, 413, 422, 503) },
        },
      },
      async (request) => {
        // An empty body goes on too: an unknown provider is 404 before any body is judged.
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const res = await upstream.client.receiveNotification(
          { provider: request.params.provider, rawBody, headers: providerHeaders(request.headers) },
          { principal: null, requestId: request.id },
        );
        return { received: true, duplicate: res.duplicate };
      },
    );
  });
}
