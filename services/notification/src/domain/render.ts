/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Only http(s) links and site paths are rendered as links; anything else (javascript:) is dropped. */
export function safeUrl(url: string): string | undefined {
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A message's content before it becomes HTML, text or an SMS. */
export interface Copy {
  subject: string;
  /** Paragraphs of plain text (escaped in HTML). */
  paragraphs: string[];
  /** The button of an email, and the in-app link. */
  action?: { label: string; url: string };
  /** Text shown under the content (footer), e.g. why the user gets it. */
  footer?: string;
}

/** A rendered email. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** HTML (every value escaped) and a plain-text alternative of the same content. */
export function renderEmail(copy: Copy, extraFooter?: { text: string; url: string }): RenderedEmail {
  const url = copy.action ? safeUrl(copy.action.url) : undefined;
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>`,
    '<body style="font-family:sans-serif;max-width:560px;margin:auto;color:#222">',
    '<p style="font-weight:bold;color:#03ac0e">Toko</p>',
    ...copy.paragraphs.map((p) => `<p>${escapeHtml(p).replaceAll("\n", "<br>")}</p>`),
    url && copy.action
      ? `<p><a href="${escapeHtml(url)}" style="background:#03ac0e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>`
      : "",
    copy.footer ? `<p style="color:#888;font-size:12px">${escapeHtml(copy.footer)}</p>` : "",
    extraFooter
      ? `<p style="color:#888;font-size:12px"><a href="${escapeHtml(extraFooter.url)}">${escapeHtml(extraFooter.text)}</a></p>`
      : "",
    "</body></html>",
  ]
    .filter((l) => l !== "")
    .join("\n");
  const text = [
    ...copy.paragraphs,
    url && copy.action ? `${copy.action.label}: ${url}` : "",
    copy.footer ?? "",
    extraFooter ? `${extraFooter.text}: ${extraFooter.url}` : "",
  ]
    .filter((l) => l !== "")
    .join("\n\n");
  return { subject: copy.subject, text, html };
}

/** The in-app item: a title, one short body and a link. */
export function renderInApp(copy: Copy): { title: string; body: string; link: string | undefined } {
  const link = copy.action ? safeUrl(copy.action.url) : undefined;
  return { title: copy.subject, body: copy.paragraphs.slice(1).join("\n") || copy.paragraphs[0] || "", link };
}

/** An SMS: subject and the key paragraph, cut to `max` characters. */
export function renderSms(copy: Copy, max = 320): string {
  const text = [copy.subject, copy.paragraphs[1] ?? copy.paragraphs[0] ?? ""].filter(Boolean).join(": ");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
