// `npm run build`: compiles every deployable (and the packages it needs at run time) to
// JavaScript in its dist/ folder, then the web app's static files (vite). Production runs them
// with `node --conditions=production <dir>/dist/main.js`: each package's "production" export
// condition points at dist/, while development (tsx) keeps importing src/.
//   npm run build                                  every deployable, and the web app
//   npm run build -- --no-web services/user        some deployables only
//   npm run build -- --out /out services/user      a production tree for one image (deploy/Dockerfile):
//                                                  dist/, migrations and `npm ci --omit=dev` in /out
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { compileWorkspace } from "./compile.ts";
import { stageProduction } from "./stage.ts";
import { listWorkspaces, productionClosure, repoRoot } from "./workspaces.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, "no-web": { type: "boolean" } },
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
  let files = 0;
  for (const w of workspaces) files += compileWorkspace(w).files;
  console.log(`build: ${workspaces.length} packages, ${files} files compiled in ${Date.now() - started} ms`);
}
