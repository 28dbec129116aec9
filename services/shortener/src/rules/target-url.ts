/** Longest target accepted, in characters. */
export const TARGET_MAX_LENGTH = 2048;

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]);

function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, "");
}

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether `hostname` reaches Toko's own short-link host. Ports are ignored (http→https or a
 * second listener on the same host still loops); when the public host is a loopback name, every
 * loopback name counts, since they all reach the same machine.
 */
export function isOwnHost(hostname: string, shortLinkHost: string): boolean {
  const host = normalizeHost(hostname);
  const own = normalizeHost(shortLinkHost);
  if (host === own) return true;
  return isLoopback(own) && isLoopback(host);
}

/**
 * Whether a path on Toko's own host is a short link (`/s/…`): only those can loop. The storefront's
 * own pages (a product, a shop) are what sellers and buyers share, so they stay allowed. Decoded
 * and with repeated slashes collapsed, as the router would see it.
 */
export function isShortLinkPath(pathname: string): boolean {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // an undecodable path is judged as written
  }
  path = path.replace(/\/{2,}/g, "/");
  return path === "/s" || path.startsWith("/s/");
}

function hasSpaceOrControl(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return /\s/.test(raw);
}

/**
 * Why a target URL is unacceptable, or undefined when it can be shortened. Rules: http/https
 * only, at most 2,048 characters, no spaces or control characters, no user:password@ part,
 * and never a short link on Toko's own host (a link to a short link can loop forever).
 */
export function targetProblem(raw: string, shortLinkHost: string): string | undefined {
  if (raw.length === 0) return "url is required";
  if (raw.length > TARGET_MAX_LENGTH) {
    return `url must be at most ${TARGET_MAX_LENGTH} characters (got ${raw.length})`;
  }
  if (hasSpaceOrControl(raw)) return "url must not contain spaces or control characters";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "url must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `url scheme must be http or https, not ${url.protocol.replace(/:$/, "")}`;
  }
  if (url.hostname === "") return "url must have a host";
  if (url.username !== "" || url.password !== "") {
    return "url must not contain credentials (user:password@)";
  }
  if (isOwnHost(url.hostname, shortLinkHost) && isShortLinkPath(url.pathname)) {
    return "url must not point at Toko's own short-link host (the link would loop)";
  }
  return undefined;
}
