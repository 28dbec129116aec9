// `npm run build`: compiles every deployable (and the packages it needs at run time) to
// JavaScript in its dist/ folder, then the web app's static files (vite). Production runs them
// with `node --conditions=production <dir>/dist/main.js`: each package's "production" export
// condition points at dist/, while development (tsx) keeps importing src/.
//   npm run build [-- --no-web] [-- services/user apps/gateway]
import { spawnSync } from "node:child_process";
import { compileWorkspace } from "./compile.ts";
import { listWorkspaces, productionClosure, repoRoot } from "./workspaces.ts";

const args = process.argv.slice(2);
const withWeb = !args.includes("--no-web");
const only = args.filter((a) => !a.startsWith("--"));
const started = Date.now();
const workspaces = productionClosure(listWorkspaces(), only.length > 0 ? only : undefined);
let files = 0;
for (const w of workspaces) files += compileWorkspace(w).files;
console.log(`build: ${workspaces.length} packages, ${files} files compiled in ${Date.now() - started} ms`);
if (withWeb) {
  const web = spawnSync("npm", ["run", "build", "-w", "@toko/web"], { cwd: repoRoot, stdio: "inherit" });
  if (web.status !== 0) process.exit(web.status ?? 1);
}
