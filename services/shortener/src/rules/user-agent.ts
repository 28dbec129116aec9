// Ordered: the first match wins. Order matters because browsers claim each other's names
// (Edge and Opera say "Chrome", Chrome says "Safari", almost everyone says "Mozilla").
const FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/bot\b|crawler|spider|slurp|facebookexternalhit|embedly|preview/i, "Bot"],
  [/^curl\//i, "curl"],
  [/^wget\//i, "Wget"],
  [/postmanruntime\//i, "Postman"],
  [/python-requests|python-urllib|aiohttp/i, "Python"],
  [/^node-fetch|^undici|^axios/i, "Node.js"],
  [/\bedg(e|a|ios)?\//i, "Edge"],
  [/\bopr\/|\bopera\b/i, "Opera"],
  [/samsungbrowser\//i, "Samsung Internet"],
  [/\bfirefox\/|\bfxios\//i, "Firefox"],
  [/\bchrome\/|\bcrios\/|\bchromium\//i, "Chrome"],
  [/\bversion\/[\d.]+.*\bsafari\//i, "Safari"],
  [/\bmsie\b|\btrident\//i, "Internet Explorer"],
];

/** Known family names; anything else a client sends is counted as "Other". */
export const USER_AGENT_FAMILIES: ReadonlySet<string> = new Set([...FAMILIES.map(([, f]) => f), "Other"]);

/** The browser family of a User-Agent header, e.g. "Chrome", "Safari", "curl", or "Other". */
export function userAgentFamily(userAgent: string): string {
  const ua = userAgent.trim();
  if (ua === "") return "Other";
  for (const [pattern, family] of FAMILIES) if (pattern.test(ua)) return family;
  return "Other";
}

/**
 * The family to count for a click: derived from the raw header when the edge sent one,
 * otherwise the edge's own label if it is a known family name (case-insensitively), else
 * "Other" — so statistics cannot be flooded with arbitrary labels.
 */
export function clickFamily(rawUserAgent: string, reportedFamily: string): string {
  if (rawUserAgent !== "") return userAgentFamily(rawUserAgent);
  const wanted = reportedFamily.trim().toLowerCase();
  for (const family of USER_AGENT_FAMILIES) if (family.toLowerCase() === wanted) return family;
  return "Other";
}
