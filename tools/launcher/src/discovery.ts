import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { LauncherError, parseManifest, type ServiceSpec } from "./manifest.ts";

const GROUPS = ["services", "apps"];

/**
 * Finds every deployable under `root`: `services/*` and `apps/*` whose package.json has a
 * `"toko"` field. Packages without one (libraries, the web app's assets) are not processes.
 */
export function discoverServices(root: string): ServiceSpec[] {
  const specs: ServiceSpec[] = [];
  for (const group of GROUPS) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const dir = join(groupDir, entry.name);
      // A symlinked package counts too (a root assembled from some of the repository's services).
      if (
        !(
          entry.isDirectory() ||
          (entry.isSymbolicLink() && statSync(dir, { throwIfNoEntry: false })?.isDirectory())
        )
      )
        continue;
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const where = relative(root, file);
      let pkg: { toko?: unknown };
      try {
        pkg = JSON.parse(readFileSync(file, "utf8")) as { toko?: unknown };
      } catch (error) {
        throw new LauncherError(`${where}: not valid JSON (${(error as Error).message})`);
      }
      if (pkg.toko === undefined) continue;
      const spec = parseManifest(entry.name, dir, where, pkg.toko);
      if (!existsSync(join(dir, "src", "main.ts"))) {
        throw new LauncherError(`${where}: has a "toko" field but no src/main.ts`);
      }
      if (spec.seed !== undefined && !existsSync(join(dir, spec.seed))) {
        throw new LauncherError(`${where}: seed ${spec.seed} does not exist`);
      }
      specs.push(spec);
    }
  }
  const seen = new Map<string, string>();
  for (const s of specs) {
    const other = seen.get(s.name);
    if (other) throw new LauncherError(`two deployables are named "${s.name}": ${other} and ${s.dir}`);
    seen.set(s.name, s.dir);
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}
