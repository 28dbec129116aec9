// `npm start` runs the services from their production build (`node --conditions=production
// dist/main.js`), as an image does: compiling TypeScript at start-up in every one of a dozen
// processes costs each of them CPU and tens of MB. The build is made here when it is missing or
// older than the sources (tools/build compiles only the stale packages), alongside PostgreSQL's
// start-up; a current build costs one directory walk per package. TOKO_DEV_TSX=1 runs the
// sources through tsx instead, and so does a failed build (the error is shown; nothing is lost).
import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { isWorkspaceBuildFresh, readWorkspaceManifests } from "./build-stamp.ts";
import type { Output } from "./output.ts";
import { tsxLoader } from "./spawn-node.ts";

const GROUPS = ["packages", "services", "apps"];

/**
 * The workspaces of `root` the production build compiles: those whose package.json exports have
 * a "production" condition (pointing at dist/). Real paths, so a symlinked root finds them.
 */
export function compiledWorkspaces(root: string): string[] {
  return readWorkspaceManifests(root, GROUPS)
    .filter((w) => JSON.stringify(w.manifest.exports ?? null).includes('"production"'))
    .map((w) => realpathSync(w.dir));
}

/** The compiled workspaces whose dist/ is missing or older than their sources. */
export function staleWorkspaces(root: string): string[] {
  return compiledWorkspaces(root).filter((dir) => !isWorkspaceBuildFresh(dir));
}

/**
 * Brings the production build of `root` (the launcher's repository) up to date. Resolves to the
 * workspace directories that may run from it: every compiled one when the whole build is
 * current, none when the build failed (everything then runs through tsx).
 */
export async function ensureServiceBuild(
  root: string,
  output: Output,
  signal: AbortSignal,
): Promise<ReadonlySet<string>> {
  const stale = staleWorkspaces(root);
  if (stale.length === 0) {
    output.info("services: build is up to date");
    return new Set(compiledWorkspaces(root));
  }
  const started = Date.now();
  output.info(`services: building ${stale.length} stale package${stale.length === 1 ? "" : "s"}…`);
  const child = spawn(
    process.execPath,
    ["--import", tsxLoader, join(root, "tools", "build", "src", "build.ts"), "--no-web", "--stale"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], signal },
  );
  let log = "";
  const keep = (d: Buffer) => {
    log += d.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const code = await new Promise<number | null>((resolve) => {
    child.on("close", resolve);
    child.on("error", () => resolve(null));
  });
  if (signal.aborted) return new Set();
  const left = code === 0 ? staleWorkspaces(root) : stale;
  if (left.length === 0) {
    output.info(`services: built in ${Date.now() - started} ms`);
    return new Set(compiledWorkspaces(root));
  }
  output.error(
    `services: the build failed; running the services' TypeScript through tsx instead\n${log.trim()}`,
  );
  return new Set();
}
