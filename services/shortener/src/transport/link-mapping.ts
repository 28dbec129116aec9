import type { Link as LinkMessage } from "@toko/contracts/toko/shortener/v1/shortener";
import type { Link } from "../link.ts";

/** The short URL for a code on the public origin. */
export function shortUrl(publicOrigin: string, code: string): string {
  return `${publicOrigin.replace(/\/+$/, "")}/s/${code}`;
}

/** A link as the contract shows it. */
export function toLinkMessage(link: Link, publicOrigin: string): LinkMessage {
  return {
    code: link.code,
    url: link.url,
    expiresAt: link.expiresAt ?? undefined,
    createdAt: link.createdAt,
    ownerId: link.ownerId,
    disabled: link.disabledAt !== null,
    customAlias: link.customAlias,
    shortUrl: shortUrl(publicOrigin, link.code),
  };
}
