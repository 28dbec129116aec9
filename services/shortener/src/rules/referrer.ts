const HOST_SHAPE =
  /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$|^\[[0-9a-f:.]+\]$/;

/**
 * The referrer host to count for a click, lower-cased; "" (no referrer) when the edge sent
 * nothing usable. Accepts a bare host or a whole URL, since a Referer header is a URL.
 */
export function referrerHost(reported: string): string {
  let host = reported.trim();
  if (host === "") return "";
  if (host.includes("://")) {
    try {
      host = new URL(host).hostname;
    } catch {
      return "";
    }
  }
  if (!host.startsWith("[")) host = host.replace(/:\d+$/, "");
  host = host.toLowerCase().replace(/\.$/, "");
  if (host.length > 253 || !HOST_SHAPE.test(host)) return "";
  return host;
}
