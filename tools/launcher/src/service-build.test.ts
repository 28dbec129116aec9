import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { workspaceFingerprint, writeStamp } from "./build-stamp.ts";
import type { Output } from "./output.ts";
import { compiledWorkspaces, ensureServiceBuild, staleWorkspaces } from "./service-build.ts";

const temp = realpathSync(mkdtempSync(join(tmpdir(), "toko-service-build-")));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A root with a compiled library, a compiled service and a package the build leaves alone. */
function tree(name: string, buildScript: string): string {
  const root = join(temp, name);
  const pkg = (dir: string, exports: unknown) => {
    mkdirSync(join(root, dir, "src"), { recursive: true });
    writeFileSync(join(root, dir, "package.json"), JSON.stringify({ name: dir, exports }));
    writeFileSync(join(root, dir, "src", "index.ts"), "export const x = 1;");
  };
  pkg("packages/lib", { ".": { production: "./dist/index.js", default: "./src/index.ts" } });
  pkg("services/svc", { ".": { production: "./dist/index.js", default: "./src/index.ts" } });
  pkg("packages/helpers", { ".": "./src/index.ts" });
  mkdirSync(join(root, "tools", "build", "src"), { recursive: true });
  writeFileSync(join(root, "tools", "build", "src", "build.ts"), buildScript);
  return root;
}

/** What tools/build does for each stale package, minus the compiling: dist/ and its stamp. */
const stampingBuild = `
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { workspaceFingerprint, writeStamp } from ${JSON.stringify(join(import.meta.dirname, "build-stamp.ts"))};
for (const dir of ["packages/lib", "services/svc"]) {
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeStamp(dir, workspaceFingerprint(dir));
}
`;

function capture(): { output: Output; text: () => string } {
  const lines: string[] = [];
  const output: Output = {
    info: (m) => lines.push(m),
    error: (m) => lines.push(m),
    line: (_, raw) => lines.push(raw),
    setPrefixWidth: () => {},
  };
  return { output, text: () => lines.join("\n") };
}

test("only packages whose exports point production at dist/ are built; stale until stamped, again after an edit", () => {
  const root = tree("stamps", "");
  const lib = join(root, "packages", "lib");
  const svc = join(root, "services", "svc");
  assert.deepEqual(compiledWorkspaces(root), [lib, svc]);
  assert.deepEqual(staleWorkspaces(root), [lib, svc], "no dist yet");

  for (const dir of [lib, svc]) {
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeStamp(dir, workspaceFingerprint(dir));
  }
  assert.deepEqual(staleWorkspaces(root), []);

  writeFileSync(join(svc, "src", "index.test.ts"), "// a test is not compiled");
  assert.deepEqual(staleWorkspaces(root), [], "a test file does not make a package stale");

  const later = new Date(Date.now() + 5000);
  utimesSync(join(lib, "src", "index.ts"), later, later);
  assert.deepEqual(staleWorkspaces(root), [lib], "an edited source makes its package stale");
  writeFileSync(join(svc, "src", "new.ts"), "export {};");
  assert.deepEqual(staleWorkspaces(root), [lib, svc], "a new source too");
});

test("a stale build is made, then used; a current one is used without building", async () => {
  const root = tree("builds", stampingBuild);
  const first = capture();
  const built = await ensureServiceBuild(root, first.output, new AbortController().signal);
  assert.deepEqual([...built], compiledWorkspaces(root));
  assert.match(first.text(), /building 2 stale packages/);
  assert.match(first.text(), /services: built in \d+ ms/);

  const second = capture();
  assert.deepEqual(
    [...(await ensureServiceBuild(root, second.output, new AbortController().signal))],
    [...built],
  );
  assert.match(second.text(), /build is up to date/);
  assert.doesNotMatch(second.text(), /building/);
});

test("a failed build runs everything through tsx and says why", async () => {
  const root = tree(
    "fails",
    'console.error("lib/src/index.ts: something does not compile"); process.exit(1);',
  );
  const { output, text } = capture();
  const built = await ensureServiceBuild(root, output, new AbortController().signal);
  assert.equal(built.size, 0);
  assert.match(text(), /the build failed; running the services' TypeScript through tsx/);
  assert.match(text(), /something does not compile/);
});
