// `npm start` serves the web app from its build. The build is made here, when it is missing or
// older than the app's sources, alongside PostgreSQL's start-up (a warm cache costs one
// directory walk; a build ~3 s), so no one has to remember a separate build command.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { isStampFresh, sourceFingerprint, writeStamp } from "./build-stamp.ts";
import type { Output } from "./output.ts";

const INPUTS = ["src", "public", "index.html", "vite.config.ts", "package.json"];

/** Where the web app lives under `root`, or undefined when this tree has none. */
export function webAppDir(root: string): string | undefined {
  const dir = join(root, "apps", "web");
  return existsSync(join(dir, "vite.config.ts")) ? dir : undefined;
}

/** A fingerprint of the app's sources: every input file's path, size and modification time. */
export function webFingerprint(dir: string): string {
  return sourceFingerprint(dir, INPUTS);
}

/** True when `dist/` was built from exactly the current sources. */
export function isBuildFresh(dir: string, fingerprint = webFingerprint(dir)): boolean {
  return isStampFresh(dir, "index.html", fingerprint);
}

/**
 * Builds the web app unless its build is fresh; resolves to the directory the gateway serves.
 * A failed build is reported and the previous build (if any) is served, so the API still starts.
 */
export async function ensureWebBuild(dir: string, output: Output, signal: AbortSignal): Promise<string> {
  const dist = join(dir, "dist");
  const fingerprint = webFingerprint(dir);
  if (isBuildFresh(dir, fingerprint)) {
    output.info("web: build is up to date");
    return dist;
  }
  const started = Date.now();
  const vite = join(
    createRequire(join(dir, "package.json")).resolve("vite/package.json"),
    "..",
    "bin",
    "vite.js",
  );
  const child = spawn(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    signal,
  });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on("close", resolve);
    child.on("error", () => resolve(null));
  });
  if (code === 0) {
    writeStamp(dir, fingerprint);
    output.info(`web: built in ${Date.now() - started} ms`);
  } else if (!signal.aborted) {
    output.error(`web: the build failed; serving the previous build if there is one\n${log.trim()}`);
  }
  return dist;
}
