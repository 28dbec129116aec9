import type { FastifyReply, FastifyRequest } from "fastify";
import { CART_TOKEN_HEADER } from "./schemas.ts";

/** The cookie that carries a guest's cart token (HttpOnly: page scripts never see it). */
export const CART_COOKIE = "toko_cart";

/** How long the browser keeps the cookie: as long as the cart service keeps an idle guest cart by default. */
const COOKIE_MAX_AGE_S = 14 * 24 * 3600;

/** The guest cart token a request sends: the `X-Cart-Token` header, else the cookie; "" for none. */
export function cartTokenOf(request: FastifyRequest): string {
  const header = request.headers[CART_TOKEN_HEADER];
  if (typeof header === "string" && header !== "") return header;
  const cookie = request.headers.cookie;
  if (!cookie) return "";
  for (const part of cookie.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === CART_COOKIE) return part.slice(at + 1).trim();
  }
  return "";
}

/** Sets (or, with "", clears) the cart cookie; Secure when the public origin is HTTPS. */
export function setCartCookie(reply: FastifyReply, token: string, secure: boolean): void {
  const attributes = [
    `${CART_COOKIE}=${token}`,
    "Path=/api/v1/cart",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${token === "" ? 0 : COOKIE_MAX_AGE_S}`,
  ];
  if (secure) attributes.push("Secure");
  reply.header("set-cookie", attributes.join("; "));
}
