import type { Link } from "@toko/contracts/toko/shortener/v1/shortener";

/** The public JSON shape of a link. */
export interface LinkJson {
  code: string;
  short_url: string;
  url: string;
  expires_at: string | null;
  created_at?: string;
  disabled?: boolean;
}

/** Proto `Link` → the public JSON shape (snake_case, RFC 3339, null for "never"). */
export function linkJson(link: Link, publicOrigin: string): LinkJson {
  const json: LinkJson = {
    code: link.code,
    short_url: link.shortUrl || `${publicOrigin}/s/${link.code}`,
    url: link.url,
    expires_at: link.expiresAt ? link.expiresAt.toISOString() : null,
    disabled: link.disabled,
  };
  if (link.createdAt) json.created_at = link.createdAt.toISOString();
  return json;
}
