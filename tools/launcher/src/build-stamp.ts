// Whether a build in `<dir>/dist` was made from the current sources: the build writes a stamp
// (a fingerprint of its inputs' paths, sizes and modification times) after it succeeds, and the
// launcher compares it with the sources before using the build. Checking costs one directory
// walk (milliseconds), so `npm start` can do it on every start. No dependencies: the build tool
// (tools/build) imports this to write the stamps the launcher reads.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One package of the repository: its directory and its parsed package.json. */
export interface WorkspaceManifest {
  dir: string;
  manifest: { name: string; exports?: unknown; toko?: unknown; dependencies?: Record<string, string> };
}

/** Every `<group>/<entry>/package.json` under `root`, for each of `groups`, in name order. */
export function readWorkspaceManifests(root: string, groups: readonly string[]): WorkspaceManifest[] {
  const out: WorkspaceManifest[] = [];
  for (const group of groups) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir).sort()) {
      const file = join(groupDir, entry, "package.json");
      if (!existsSync(file)) continue;
      out.push({ dir: join(groupDir, entry), manifest: JSON.parse(readFileSync(file, "utf8")) });
    }
  }
  return out;
}

/** The stamp's file name inside `dist/`. */
export const BUILD_STAMP = ".build-stamp";

/**
 * A fingerprint of the files under `dir`'s `inputs` (files or directories, relative to `dir`):
 * each file's path, size and modification time. Files `skip` answers true for are left out.
 */
export function sourceFingerprint(
  dir: string,
  inputs: readonly string[],
  skip: (name: string) => boolean = () => false,
): string {
  const hash = createHash("sha256");
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (!skip(path)) {
      hash.update(`${relative(dir, path)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const input of inputs) visit(join(dir, input));
  return hash.digest("hex");
}

/** True when `<dir>/dist` holds `entry` and a stamp equal to `fingerprint`. */
export function isStampFresh(dir: string, entry: string, fingerprint: string): boolean {
  const stamp = join(dir, "dist", BUILD_STAMP);
  return (
    existsSync(join(dir, "dist", entry)) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint
  );
}

/** Records that `<dir>/dist` was built from the sources `fingerprint` describes. */
export function writeStamp(dir: string, fingerprint: string): void {
  writeFileSync(join(dir, "dist", BUILD_STAMP), fingerprint);
}

// What the production build of a workspace (tools/build) compiles: its src/ without tests, and
// its package.json (the exports that point at dist/).
const WORKSPACE_INPUTS = ["src", "package.json"];
const notCompiled = (path: string) => path.endsWith(".test.ts") || path.endsWith(".d.ts");

/** The fingerprint of what the production build compiles from one workspace. */
export function workspaceFingerprint(dir: string): string {
  return sourceFingerprint(dir, WORKSPACE_INPUTS, notCompiled);
}

/** True when the workspace's dist/ was compiled from exactly its current sources. */
export function isWorkspaceBuildFresh(dir: string): boolean {
  // The build empties dist/ first and writes the stamp last, so a stamp means a whole build.
  return isStampFresh(dir, BUILD_STAMP, workspaceFingerprint(dir));
}
