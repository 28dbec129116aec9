import type { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { DomainError } from "@toko/kit";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Upstream } from "../../upstreams.ts";
import { CARD_SCRIPT, sandboxPage } from "./sandbox-html.ts";

const tokenPattern = /^[A-Za-z0-9_.-]{1,200}$/;
const notFoundPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Toko sandbox</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto"><h1>Payment page not found</h1></body></html>
`;

const html = (reply: FastifyReply, status: number, body: string) =>
  reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(body);

/**
 * The sandbox provider's hosted pages at `/payments/sandbox/{token}` (the "bank", "e-wallet" and
 * card screens a payer is sent to by `instructions.redirect_url`). The token is the capability;
 * actions are plain form posts answered with a redirect back to the page.
 */
export async function registerSandboxPages(
  app: FastifyInstance,
  upstream: Upstream<PaymentServiceClient>,
): Promise<void> {
  const payments = upstream.client;
  const route = { config: { auth: "none" as const }, schema: { hide: true } };

  app.get("/payments/sandbox/card.js", route, async (_request, reply) =>
    reply
      .header("content-type", "text/javascript; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(CARD_SCRIPT),
  );

  app.get<{ Params: { token: string } }>("/payments/sandbox/:token", route, async (request, reply) => {
    if (!tokenPattern.test(request.params.token)) return html(reply, 404, notFoundPage);
    try {
      const { session } = await payments.getSandboxSession(
        { token: request.params.token },
        { principal: null, requestId: request.id },
      );
      if (!session) throw new Error("the payment service answered without a session");
      return html(reply, 200, sandboxPage(session));
    } catch (error) {
      if (error instanceof DomainError && error.kind === "not_found") return html(reply, 404, notFoundPage);
      throw error;
    }
  });

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>(
      "/payments/sandbox/:token",
      route,
      async (request, reply) => {
        const token = request.params.token;
        if (!tokenPattern.test(token)) return html(reply, 404, notFoundPage);
        const form = request.body ?? {};
        const field = (name: string) =>
          typeof form[name] === "string" ? String(form[name]).slice(0, 64) : "";
        try {
          await payments.actOnSandboxSession(
            {
              token,
              action: field("action"),
              cardBrand: field("card_brand"),
              cardLast4: field("card_last4"),
              otp: field("otp"),
            },
            { principal: null, requestId: request.id },
          );
          return reply.code(303).header("location", `/payments/sandbox/${token}`).send();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (error.kind === "not_found") return html(reply, 404, notFoundPage);
          const { session } = await payments.getSandboxSession(
            { token },
            { principal: null, requestId: request.id },
          );
          if (!session) throw error;
          return html(reply, 422, sandboxPage(session, error.message));
        }
      },
    );
  });
}
