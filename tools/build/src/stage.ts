import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileWorkspace } from "./compile.ts";
import { listWorkspaces, productionClosure, repoRoot, type Workspace } from "./workspaces.ts";

/**
 * What a workspace keeps in a production tree besides package.json and dist/: the files its code
 * reads at run time (SQL migrations, bundled data). Sources, tests, benches and scripts stay out.
 */
const RUNTIME_FILES = ["migrations", "data"];

export interface StageOptions {
  /** Deployables to include (package names or paths); every one when omitted. */
  deployables?: readonly string[];
  /** Also copy the web app's static build (apps/web/dist), which the gateway serves. */
  web?: boolean;
  /** Compile straight into the tree instead of copying each workspace's dist/ (no `npm run build` needed). */
  compile?: boolean;
  /** Extra arguments for `npm ci` (e.g. `--prefer-offline`). */
  npmArgs?: readonly string[];
  root?: string;
}

export interface StagedTree {
  dir: string;
  workspaces: Workspace[];
}

/**
 * Lays out a production tree in `dir` from an already built repository (`npm run build`): the
 * root manifest and lock file, every workspace's package.json (npm ci checks the lock file
 * against all of them), and for the chosen deployables and the packages they need, their dist/
 * and runtime files (migrations/, data/) — no TypeScript source. Then installs with
 * `npm ci --omit=dev` limited to those workspaces: no test tools, no tsx, no embedded PostgreSQL.
 */
export function stageProduction(dir: string, options: StageOptions = {}): StagedTree {
  const root = options.root ?? repoRoot;
  const all = listWorkspaces(root);
  const chosen = productionClosure(all, options.deployables);
  mkdirSync(dir, { recursive: true });
  for (const file of ["package.json", "package-lock.json", ".npmrc"]) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(dir, file));
  }
  // A workspace's devDependencies (test helpers such as @toko/testing, which brings the embedded
  // PostgreSQL) would be installed with it: npm treats every workspace link as a root dependency,
  // never as a dev one. So the chosen workspaces' manifests, and their lock entries, drop them.
  const lockFile = join(dir, "package-lock.json");
  const lock = JSON.parse(readFileSync(lockFile, "utf8")) as {
    packages: Record<string, { devDependencies?: unknown }>;
  };
  const chosenPaths = new Set(chosen.map((w) => w.path));
  for (const w of all) {
    mkdirSync(join(dir, w.path), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(w.dir, "package.json"), "utf8")) as {
      devDependencies?: unknown;
    };
    if (chosenPaths.has(w.path)) {
      delete pkg.devDependencies;
      delete lock.packages[w.path]?.devDependencies;
    }
    writeFileSync(join(dir, w.path, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  for (const w of chosen) {
    if (options.compile) compileWorkspace(w, join(dir, w.path, "dist"));
    else if (!existsSync(join(w.dir, "dist")))
      throw new Error(`${w.path}/dist is missing: run npm run build first`);
    for (const entry of [...RUNTIME_FILES, ...(options.compile ? [] : ["dist"])]) {
      if (existsSync(join(w.dir, entry)))
        cpSync(join(w.dir, entry), join(dir, w.path, entry), { recursive: true });
    }
  }
  if (options.web) {
    const webDist = join(root, "apps", "web", "dist");
    if (!existsSync(join(webDist, "index.html")))
      throw new Error("apps/web/dist is missing: run npm run build");
    cpSync(webDist, join(dir, "apps", "web", "dist"), { recursive: true });
  }
  const install = spawnSync(
    "npm",
    [
      "ci",
      "--omit=dev",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      ...chosen.map((w) => `--workspace=${w.path}`),
      ...(options.npmArgs ?? []),
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } },
  );
  if (install.status !== 0) {
    throw new Error(
      `npm ci --omit=dev failed (${install.status}):\n${`${install.stdout}${install.stderr}`.split("\n").slice(0, 12).join("\n")}`,
    );
  }
  return { dir, workspaces: chosen };
}
