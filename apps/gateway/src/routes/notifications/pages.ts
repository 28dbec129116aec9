import type { DevMail, NotificationServiceClient } from "@toko/contracts/toko/notification/v1/notification";
import { DomainError } from "@toko/kit";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Upstream } from "../../upstreams.ts";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Toko</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.8rem}iframe{width:100%;height:32rem;border:1px solid #ddd}
button{font-size:1rem;padding:.4rem .8rem}</style></head>
<body>${body}</body></html>
`;
}

const send = (reply: FastifyReply, status: number, body: string) =>
  reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(body);

const TOKEN = /^[A-Za-z0-9_.-]{1,1024}$/;
const CATEGORY_NAMES: Record<string, string> = { marketing: "promotions" };

/**
 * The one-click unsubscribe link of marketing email (RFC 8058): GET shows a confirmation form
 * (mail scanners follow links, so a GET changes nothing); POST — the form, or a mail client's
 * `List-Unsubscribe=One-Click` — turns the category off. The signed token is the authority.
 */
export async function registerUnsubscribePages(
  app: FastifyInstance,
  upstream: Upstream<NotificationServiceClient>,
) {
  const route = { config: { auth: "none" as const }, schema: { hide: true } };
  const invalid = page("Link not valid", "<h1>This unsubscribe link is not valid</h1>");

  app.get<{ Querystring: { token?: string } }>(
    "/api/v1/notifications/unsubscribe",
    route,
    async (request, reply) => {
      const token = String(request.query.token ?? "");
      if (!TOKEN.test(token)) return send(reply, 400, invalid);
      return send(
        reply,
        200,
        page(
          "Unsubscribe",
          `<h1>Unsubscribe from Toko promotions?</h1>
<form method="post" action="/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
    },
  );

  await app.register(async (scope) => {
    // Mail clients post `List-Unsubscribe=One-Click` (form-encoded or multipart); the token is in the URL.
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: 4096 }, (_request, _body, done) =>
      done(null, undefined),
    );
    scope.post<{ Querystring: { token?: string } }>(
      "/api/v1/notifications/unsubscribe",
      route,
      async (request, reply) => {
        const token = String(request.query.token ?? "");
        if (!TOKEN.test(token)) return send(reply, 400, invalid);
        try {
          const res = await upstream.client.unsubscribe(
            { token },
            { principal: null, requestId: request.id },
          );
          const what = CATEGORY_NAMES[res.category] ?? res.category;
          return send(
            reply,
            200,
            page(
              "Unsubscribed",
              `<h1>You are unsubscribed</h1><p>No more ${escapeHtml(what)} by ${escapeHtml(res.channel)}.</p>`,
            ),
          );
        } catch (error) {
          if (error instanceof DomainError && error.kind === "invalid") return send(reply, 400, invalid);
          throw error;
        }
      },
    );
  });
}

const when = (d: Date | undefined) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "");

function mailView(m: DevMail): string {
  const headers = Object.entries(m.headers)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("");
  return page(
    m.subject,
    `<p><a href="/dev/mail">← all mail</a></p><h1>${escapeHtml(m.subject)}</h1>
<table><tr><th>To</th><td>${escapeHtml(m.to)}</td></tr><tr><th>Sent</th><td>${when(m.sentAt)} UTC</td></tr>${headers}</table>
<h2>HTML</h2><iframe sandbox title="HTML body" srcdoc="${escapeHtml(m.html)}"></iframe>
<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>`,
  );
}

/**
 * The development mail catcher at `/dev/mail` (list) and `/dev/mail/{id}` (one message, its HTML
 * in a sandboxed frame). Registered only in development: elsewhere these paths are 404.
 */
export function registerDevMailPages(app: FastifyInstance, upstream: Upstream<NotificationServiceClient>) {
  const route = { config: { auth: "none" as const }, schema: { hide: true } };
  const notFound = page("Not found", "<h1>No such mail</h1>");

  app.get<{ Querystring: { cursor?: string } }>("/dev/mail", route, async (request, reply) => {
    const cursor = String(request.query.cursor ?? "");
    const res = await upstream.client.listDevMail(
      { page: { limit: 50, cursor: /^[0-9a-f-]{36}$/.test(cursor) ? cursor : "" } },
      { principal: null, requestId: request.id },
    );
    const rows = res.mails
      .map(
        (m) =>
          `<tr><td>${when(m.sentAt)}</td><td>${escapeHtml(m.to)}</td><td><a href="/dev/mail/${encodeURIComponent(m.id)}">${escapeHtml(m.subject)}</a></td></tr>`,
      )
      .join("");
    const next = res.page?.nextCursor
      ? `<p><a href="/dev/mail?cursor=${encodeURIComponent(res.page.nextCursor)}">Older →</a></p>`
      : "";
    return send(
      reply,
      200,
      page(
        "Mail",
        `<h1>Sent mail (development)</h1>${
          rows
            ? `<table><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th></tr>${rows}</table>`
            : "<p>No mail yet.</p>"
        }${next}`,
      ),
    );
  });

  app.get<{ Params: { id: string } }>("/dev/mail/:id", route, async (request, reply) => {
    if (!/^[0-9a-f-]{36}$/.test(request.params.id)) return send(reply, 404, notFound);
    try {
      const { mail } = await upstream.client.getDevMail(
        { mailId: request.params.id },
        { principal: null, requestId: request.id },
      );
      if (!mail) return send(reply, 404, notFound);
      return send(reply, 200, mailView(mail));
    } catch (error) {
      if (error instanceof DomainError && error.kind === "not_found") return send(reply, 404, notFound);
      throw error;
    }
  });
}
