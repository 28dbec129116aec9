import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** One file of the built web app, held in memory with its gzip form. */
export interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".map": "application/json",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".json", ".txt", ".map"]);

/** Content-hashed build output never changes under its name; everything else is revalidated. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/**
 * Paths the web app never answers, so their 404s stay problem+json: the API, the issuer,
 * short links, operations endpoints, development pages and the API docs.
 */
const RESERVED = ["/api", "/oauth2", "/s", "/healthz", "/readyz", "/metrics", "/dev", "/docs", "/payments"];

/** True when `path` belongs to the gateway itself rather than the web app. */
export function isReservedPath(path: string): boolean {
  return RESERVED.some((p) => path === p || path.startsWith(`${p}/`));
}

function load(root: string, file: string): StaticFile {
  const body = readFileSync(file);
  const ext = extname(file).toLowerCase();
  const rel = relative(root, file).split(sep).join("/");
  return {
    body,
    gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
    type: TYPES[ext] ?? "application/octet-stream",
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
    cacheControl: rel.startsWith("assets/") ? IMMUTABLE : REVALIDATE,
  };
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
}

/**
 * The built web app (`vite build` output), read once at start-up: a few hundred kilobytes,
 * so every request is a map lookup and the gzip work is done once.
 */
export class StaticSite {
  private readonly files = new Map<string, StaticFile>();
  readonly index: StaticFile;

  private constructor(root: string) {
    const paths: string[] = [];
    walk(root, paths);
    for (const file of paths) {
      this.files.set(`/${relative(root, file).split(sep).join("/")}`, load(root, file));
    }
    const index = this.files.get("/index.html");
    if (!index) throw new Error(`${root} has no index.html (run the web app's build)`);
    this.index = index;
  }

  /** The site in `root`, or undefined when the directory does not exist (the app is not built). */
  static open(root: string): StaticSite | undefined {
    if (!existsSync(root) || !statSync(root).isDirectory()) return undefined;
    return new StaticSite(root);
  }

  /**
   * What to answer for a GET of `path`: the file, the app's index.html for an app route
   * (SPA fallback), or undefined (a missing asset, a reserved path) for the usual 404.
   */
  resolve(path: string): StaticFile | undefined {
    if (isReservedPath(path)) return undefined;
    const file = this.files.get(path);
    if (file) return file;
    // A path whose last segment looks like a file name is a missing file, not an app route.
    const last = path.slice(path.lastIndexOf("/") + 1);
    if (last.includes(".")) return undefined;
    return this.index;
  }
}
