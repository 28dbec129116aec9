import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isBuildFresh, webAppDir, webFingerprint } from "./web-build.ts";

const root = mkdtempSync(join(tmpdir(), "toko-web-build-"));
after(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, "apps", "web");
mkdirSync(join(dir, "src"), { recursive: true });
writeFileSync(join(dir, "vite.config.ts"), "export default {};");
writeFileSync(join(dir, "index.html"), "<!doctype html>");
writeFileSync(join(dir, "src", "main.tsx"), "console.log(1);");

test("a tree without the web app has nothing to build", () => {
  assert.equal(webAppDir(join(root, "nowhere")), undefined);
  assert.equal(webAppDir(root), dir);
});

test("the build is fresh only for the sources it was made from", () => {
  assert.equal(isBuildFresh(dir), false, "no dist yet");
  mkdirSync(join(dir, "dist"), { recursive: true });
  writeFileSync(join(dir, "dist", "index.html"), "<!doctype html>");
  writeFileSync(join(dir, "dist", ".build-stamp"), webFingerprint(dir));
  assert.equal(isBuildFresh(dir), true);

  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, "src", "main.tsx"), later, later);
  assert.equal(isBuildFresh(dir), false, "an edited source makes it stale");

  writeFileSync(join(dir, "dist", ".build-stamp"), webFingerprint(dir));
  writeFileSync(join(dir, "src", "new-page.tsx"), "export {};");
  assert.equal(isBuildFresh(dir), false, "a new source makes it stale");

  writeFileSync(join(dir, "dist", ".build-stamp"), webFingerprint(dir));
  rmSync(join(dir, "dist", "index.html"));
  assert.equal(isBuildFresh(dir), false, "a build without index.html is not a build");
});
