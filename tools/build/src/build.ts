// `npm run build`: compiles every deployable (and the packages it needs at run time) to
// JavaScript in its dist/ folder, then the web app's static files (vite). Production runs them
// with `node --conditions=production <dir>/dist/main.js`: each package's "production" export
// condition points at dist/, while development (tsx) keeps importing src/.
//   npm run build                                  every deployable, and the web app
//   npm run build -- --no-web services/user        some deployables only
//   npm run build -- --out /out services/user      a production tree for one image (deploy/Dockerfile):
//                                                  dist/, migrations and `npm ci --omit=dev` in /out
//   npm run build -- --no-web --stale              only the packages whose dist/ is older than their
//                                                  sources (what `npm start` runs before starting)
// Each compiled dist/ gets a stamp of its sources (tools/launcher's build-stamp.ts), which is how
// `npm start` knows the build is current.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isWorkspaceBuildFresh, workspaceFingerprint, writeStamp } from "@toko/launcher/build-stamp";
import { compileWorkspace } from "./compile.ts";
import { withFileLock } from "./lock.ts";
import { stageProduction } from "./stage.ts";
import { listWorkspaces, productionClosure, repoRoot } from "./workspaces.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, "no-web": { type: "boolean" }, stale: { type: "boolean" } },
});
const only = positionals.length > 0 ? positionals : undefined;
const started = Date.now();
const workspaces = productionClosure(listWorkspaces(), only);
// The web app's static files are served by the gateway; build them when the gateway is built.
const withWeb = !values["no-web"] && workspaces.some((w) => w.name === "@toko/gateway");

if (withWeb) {
  const web = spawnSync("npm", ["run", "build", "-w", "@toko/web"], { cwd: repoRoot, stdio: "inherit" });
  if (web.status !== 0) process.exit(web.status ?? 1);
}
if (values.out) {
  const tree = stageProduction(values.out, { deployables: only, compile: true, web: withWeb });
  console.log(
    `build: production tree of ${tree.workspaces.map((w) => w.path).join(", ")} in ${values.out} (${Date.now() - started} ms)`,
  );
} else {
  const built = await withFileLock(join(repoRoot, "node_modules", ".cache", "toko-build.lock"), () => {
    // Checked under the lock: a build that held it may just have brought these up to date.
    const todo = values.stale ? workspaces.filter((w) => !isWorkspaceBuildFresh(w.dir)) : workspaces;
    let files = 0;
    for (const w of todo) {
      // Taken before compiling: a source edited meanwhile leaves the package stale, as it is.
      const fingerprint = workspaceFingerprint(w.dir);
      files += compileWorkspace(w).files;
      writeStamp(w.dir, fingerprint);
    }
    return { packages: todo.length, files };
  });
  console.log(
    `build: ${built.packages} packages, ${built.files} files compiled in ${Date.now() - started} ms`,
  );
}
