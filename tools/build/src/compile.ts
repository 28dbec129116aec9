import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import type { Workspace } from "./workspaces.ts";

// Per-file transpilation: the type check is `npm run typecheck`'s job, so the build only strips
// types and rewrites `./x.ts` imports to `./x.js` — the same output tsc would emit, in seconds.
const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
  rewriteRelativeImportExtensions: true,
  sourceMap: true,
  inlineSources: false,
};

/** Files under src/ that are not part of a running process. */
function isTestOnly(file: string): boolean {
  return file.endsWith(".test.ts") || file.endsWith(".d.ts");
}

export interface CompileResult {
  workspace: string;
  files: number;
  assets: number;
}

/**
 * Compiles `<workspace>/src/**\/*.ts` into `<workspace>/dist/` (same layout, so paths built from
 * `import.meta.dirname` — migrations/, data/ — resolve the same from dist/ as from src/), and
 * copies every other file under src/ (e.g. the contracts' descriptors.binpb) alongside. `out`
 * defaults to `<workspace>/dist`.
 */
export function compileWorkspace(w: Workspace, out: string = join(w.dir, "dist")): CompileResult {
  const src = join(w.dir, "src");
  rmSync(out, { recursive: true, force: true });
  let files = 0;
  let assets = 0;
  const problems: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(from);
        continue;
      }
      const rel = relative(src, from);
      if (isTestOnly(entry.name)) continue;
      if (entry.name.endsWith(".ts")) {
        const to = join(out, rel.replace(/\.ts$/, ".js"));
        const result = ts.transpileModule(readFileSync(from, "utf8"), {
          fileName: from,
          compilerOptions,
          reportDiagnostics: true,
        });
        for (const d of result.diagnostics ?? []) {
          problems.push(`${relative(w.dir, from)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        }
        mkdirSync(dirname(to), { recursive: true });
        const mapName = `${entry.name.replace(/\.ts$/, ".js")}.map`;
        writeFileSync(
          to,
          result.outputText.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${mapName}`),
        );
        if (result.sourceMapText) {
          // Point the map at the source in the repository (not shipped in an image).
          const map = JSON.parse(result.sourceMapText) as { sources: string[] };
          map.sources = [relative(dirname(to), from)];
          writeFileSync(`${to}.map`, JSON.stringify(map));
        }
        files++;
      } else {
        const to = join(out, rel);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(from, to);
        assets++;
      }
    }
  };
  walk(src);
  if (problems.length > 0) throw new Error(`${w.name} does not compile:\n  ${problems.join("\n  ")}`);
  return { workspace: w.name, files, assets };
}
