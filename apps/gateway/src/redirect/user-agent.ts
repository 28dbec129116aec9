// Order matters: many browsers claim to be others (Edge says Chrome, Chrome says Safari).
const families: readonly [RegExp, string][] = [
  [/bot|crawler|spider|slurp|facebookexternalhit|preview/i, "Bot"],
  [/^curl\//i, "curl"],
  [/^Wget\//i, "Wget"],
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Safari\//, "Safari"],
];

/** Coarse browser family of a User-Agent header, as click statistics report it. */
export function userAgentFamily(userAgent: string | undefined): string {
  if (!userAgent) return "Other";
  for (const [pattern, family] of families) if (pattern.test(userAgent)) return family;
  return "Other";
}

/** Host of a Referer header, or "" when absent or unparsable. */
export function referrerHost(referer: string | undefined): string {
  if (!referer) return "";
  try {
    return new URL(referer).hostname.toLowerCase();
  } catch {
    return "";
  }
}
