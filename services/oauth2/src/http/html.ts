/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// Inline and self-contained: the pages load nothing from elsewhere, so the CSP can forbid it.
const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1a1a1a;margin:0}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #767676;border-radius:.25rem}
input:focus,button:focus{outline:3px solid #1a73e8;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;border:0;border-radius:.25rem;background:#03ac0e;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a1a1a;border:1px solid #767676;margin-top:.75rem}
.error{background:#fdecea;color:#8a1c12;padding:.75rem;border-radius:.25rem;margin:1rem 0}ul{padding-left:1.25rem}`;

/** The Content-Security-Policy of every page this service renders. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/** A complete, accessible HTML document. `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Toko</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}
