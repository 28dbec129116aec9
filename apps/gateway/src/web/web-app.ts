import type { FastifyReply, FastifyRequest } from "fastify";
import { securityHeaders } from "../plugins/security.ts";
import type { StaticSite } from "./static-site.ts";

// The storefront shows product pictures from the sellers' image hosts; everything else stays
// same-origin as on the API's responses.
const webCsp = securityHeaders["content-security-policy"]?.replace(
  "img-src 'self' data:",
  "img-src 'self' data: https:",
);

/**
 * Answers an unmatched GET/HEAD from the built web app; returns false when the request is not
 * the web app's (another method, a reserved path, a missing asset), so the caller sends its 404.
 */
export function serveWebApp(site: StaticSite, request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const raw = request.url.split("?")[0] ?? "/";
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return false;
  }
  // Files are served from a map, never by path, but a dot-dot path is no app route either.
  if (path.includes("\0") || path.includes("\\") || path.split("/").includes("..")) return false;
  const file = site.resolve(path);
  if (!file) return false;
  reply.header("cache-control", file.cacheControl);
  reply.header("etag", file.etag);
  reply.header("vary", "accept-encoding");
  if (webCsp) reply.header("content-security-policy", webCsp);
  reply.type(file.type);
  if (request.headers["if-none-match"] === file.etag) {
    reply.code(304).send();
    return true;
  }
  const gzip = file.gzip && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  if (gzip) reply.header("content-encoding", "gzip");
  reply.code(200).send(gzip ? file.gzip : file.body);
  return true;
}
