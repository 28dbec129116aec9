import { join, relative } from "node:path";
import { readWorkspaceManifests } from "@toko/launcher/build-stamp";

/** The repository this tool lives in. */
export const repoRoot = join(import.meta.dirname, "..", "..", "..");

/** One npm workspace, as the production build sees it. */
export interface Workspace {
  /** Package name, e.g. `@toko/user`. */
  name: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the repository root, e.g. `services/user`. */
  path: string;
  /** A process of its own (the package.json has a `"toko"` field). */
  deployable: boolean;
  /** Names of the workspaces it needs at run time (its `dependencies`, not `devDependencies`). */
  runtimeWorkspaceDeps: string[];
}

const GROUPS = ["packages", "services", "apps", "tools"];

/** Every workspace under `root`. */
export function listWorkspaces(root: string = repoRoot): Workspace[] {
  const all: Workspace[] = readWorkspaceManifests(root, GROUPS).map(({ dir, manifest }) => ({
    name: manifest.name,
    dir,
    path: relative(root, dir),
    deployable: manifest.toko !== undefined,
    runtimeWorkspaceDeps: Object.keys(manifest.dependencies ?? {}),
  }));
  const names = new Set(all.map((w) => w.name));
  for (const w of all) w.runtimeWorkspaceDeps = w.runtimeWorkspaceDeps.filter((d) => names.has(d));
  return all;
}

/**
 * The workspaces a production build of `deployables` contains: the deployables (services and
 * apps with a `"toko"` field; the web app's static files are built by vite, not here) and every
 * workspace they need at run time, transitively.
 */
export function productionClosure(all: readonly Workspace[], deployables?: readonly string[]): Workspace[] {
  const byName = new Map(all.map((w) => [w.name, w]));
  const byPath = new Map(all.map((w) => [w.path, w]));
  const roots = deployables
    ? deployables.map((d) => {
        const w = byName.get(d) ?? byPath.get(d.replace(/\/+$/, ""));
        if (!w?.deployable) throw new Error(`${d} is not a deployable workspace`);
        return w;
      })
    : all.filter((w) => w.deployable);
  const out = new Map<string, Workspace>();
  const visit = (w: Workspace) => {
    if (out.has(w.name)) return;
    out.set(w.name, w);
    for (const dep of w.runtimeWorkspaceDeps) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
  };
  for (const r of roots) visit(r);
  return [...out.values()];
}
